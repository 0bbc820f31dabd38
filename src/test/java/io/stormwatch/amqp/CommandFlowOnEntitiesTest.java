package io.stormwatch.amqp;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stormwatch.support.EntityAppendPath;

/** {@link CommandFlowTest} with command batches on the entity append path. */
@QuarkusTest
@TestProfile(EntityAppendPath.class)
class CommandFlowOnEntitiesTest extends CommandFlowTest {
}
