package io.stormwatch.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.junit.jupiter.api.Test;

import io.stormwatch.api.Observation;

/** What the quick check takes on, and the records it refuses to judge. */
class QuickCheckTest {

    record Bounded(@NotNull @DecimalMin("0") @DecimalMax(value = "10", inclusive = false) Double x) {
    }

    record UnknownConstraint(@Size(max = 3) String s) {
    }

    /** A constraint on a whole record (it holds for any). */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = WholeRecord.Holds.class)
    @interface WholeRecord {
        String message() default "does not hold";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Holds implements ConstraintValidator<WholeRecord, Object> {
            @Override
            public boolean isValid(Object value, ConstraintValidatorContext context) {
                return true;
            }
        }
    }

    @WholeRecord
    record OnTheRecord(Double x) {
    }

    record OnAnAccessor(Double x) {
        @Override
        @DecimalMax("1")
        public Double x() {
            return x;
        }
    }

    record NotExact(@DecimalMax("0.1") Double x) {
    }

    @Test
    void judges_not_null_and_bounds_exactly() {
        QuickCheck<Bounded> check = QuickCheck.of(Bounded.class);
        assertThat(check).isNotNull();
        assertThat(check.certainlyValid(new Bounded(0.0))).isTrue();
        assertThat(check.certainlyValid(new Bounded(Math.nextDown(10.0)))).isTrue();
        assertThat(check.certainlyValid(new Bounded(10.0))).as("exclusive").isFalse();
        assertThat(check.certainlyValid(new Bounded(-Double.MIN_VALUE))).isFalse();
        assertThat(check.certainlyValid(new Bounded(null))).isFalse();
        assertThat(check.certainlyValid(new Bounded(Double.NaN))).isFalse();
    }

    @Test
    void has_no_quick_check_for_a_constraint_it_does_not_know() {
        assertThat(QuickCheck.of(UnknownConstraint.class)).isNull();
        assertThat(QuickCheck.of(OnTheRecord.class)).isNull();
        assertThat(QuickCheck.of(OnAnAccessor.class)).isNull();
    }

    @Test
    void leaves_a_bound_a_double_does_not_hold_to_the_validator() {
        QuickCheck<NotExact> check = QuickCheck.of(NotExact.class);
        assertThat(check.certainlyValid(new NotExact(0.05))).isFalse();
        assertThat(check.certainlyValid(new NotExact(null))).isTrue();
    }

    @Test
    void knows_every_constraint_of_an_observation() {
        QuickCheck<Observation> check = QuickCheck.of(Observation.class);
        assertThat(check).isNotNull();
        assertThat(check.certainlyValid(new Observation("OSLO-1", Instant.now(), 3.5, 81.5, 4.2, null, null, null)))
                .isTrue();
        assertThat(check.certainlyValid(new Observation("-OSLO", Instant.now(), 3.5, 81.5, 4.2, null, null, null)))
                .isFalse();
    }
}
