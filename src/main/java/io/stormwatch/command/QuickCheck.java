package io.stormwatch.command;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import jakarta.validation.Constraint;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

import io.stormwatch.api.StationIdFormat;

/**
 * A quick yes for a valid record, from the same constraint annotations Hibernate Validator reads: not-null, decimal
 * bounds a double holds exactly, and the station id pattern. It only answers "certainly valid"; any other answer sends
 * the command to the validator, which finds and words the violations. Validating a batch of 100 observations with the
 * validator cost more than parsing it (docs/benchmarks.md, sixth round).
 * <p>
 * It is stricter than the validator or equal, never looser: a value it cannot judge exactly (not finite, a bound a
 * double does not hold) fails it, and a record with a constraint it does not know, on the record itself or on an
 * accessor, has no quick check at all.
 */
final class QuickCheck<T extends Record> {

    private final List<Predicate<T>> checks;

    private QuickCheck(List<Predicate<T>> checks) {
        this.checks = checks;
    }

    /** The quick check of a record type, or null when one of its constraints is not among those it knows. */
    static <T extends Record> QuickCheck<T> of(Class<T> type) {
        if (Arrays.stream(type.getAnnotations()).anyMatch(QuickCheck::isConstraint)) {
            return null; // a constraint on the whole record
        }
        List<Predicate<T>> checks = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            // The validator reads a component's constraints from its field (they are not all RECORD_COMPONENT targets).
            Field field;
            try {
                field = type.getDeclaredField(component.getName());
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("a record without the field of " + component, e);
            }
            if (field.getAnnotatedType() instanceof AnnotatedParameterizedType parameterized && Arrays.stream(
                    parameterized.getAnnotatedActualTypeArguments()).anyMatch(a -> a.getAnnotations().length > 0)) {
                return null; // constraints on type arguments
            }
            List<Annotation> onField = List.of(field.getAnnotations());
            if (Arrays.stream(component.getAccessor().getAnnotations())
                    .anyMatch(a -> isConstraint(a) && !onField.contains(a))) {
                return null; // a constraint on an accessor written by hand
            }
            Predicate<Object> all = value -> true;
            for (Annotation annotation : onField) {
                Predicate<Object> check = check(annotation);
                if (check == null) {
                    if (isConstraint(annotation)) {
                        return null;
                    }
                    continue;
                }
                all = all.and(check);
            }
            // Each component read once, for all of its constraints.
            Predicate<Object> ofComponent = all;
            Method accessor = component.getAccessor();
            checks.add(record -> ofComponent.test(value(accessor, record)));
        }
        return new QuickCheck<>(List.copyOf(checks));
    }

    boolean certainlyValid(T record) {
        for (Predicate<T> check : checks) {
            if (!check.test(record)) {
                return false;
            }
        }
        return true;
    }

    private static Predicate<Object> check(Annotation annotation) {
        return switch (annotation) {
            case NotNull ignored -> value -> value != null;
            case DecimalMin min -> bound(min.value(), min.inclusive(), true);
            case DecimalMax max -> bound(max.value(), max.inclusive(), false);
            case StationIdFormat ignored -> {
                Pattern pattern = Pattern.compile(
                        StationIdFormat.class.getAnnotation(jakarta.validation.constraints.Pattern.class).regexp());
                yield value -> value == null || value instanceof String s && pattern.matcher(s).matches();
            }
            default -> null;
        };
    }

    private static Predicate<Object> bound(String literal, boolean inclusive, boolean lower) {
        BigDecimal exact = new BigDecimal(literal);
        double bound = exact.doubleValue();
        if (new BigDecimal(bound).compareTo(exact) != 0) {
            return value -> value == null; // a bound a double does not hold: only the validator judges it
        }
        return value -> {
            if (value == null) {
                return true;
            }
            if (!(value instanceof Double d) || !Double.isFinite(d)) {
                return false;
            }
            return lower ? (inclusive ? d >= bound : d > bound) : (inclusive ? d <= bound : d < bound);
        };
    }

    private static boolean isConstraint(Annotation annotation) {
        Class<? extends Annotation> type = annotation.annotationType();
        return type.isAnnotationPresent(Constraint.class) || type.getPackageName().startsWith("jakarta.validation")
                || type.getPackageName().startsWith("org.hibernate.validator");
    }

    private static Object value(Method accessor, Record record) {
        try {
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + accessor, e);
        }
    }
}
