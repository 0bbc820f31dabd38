package io.stormwatch.amqp;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stormwatch.support.EntityAppendPath;

/** {@link BadInputTest} with command batches on the entity append path. */
@QuarkusTest
@TestProfile(EntityAppendPath.class)
class BadInputOnEntitiesTest extends BadInputTest {
}
