package io.stormwatch.rest;

import java.util.stream.StreamSupport;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.stormwatch.platform.StormwatchConfig;

/**
 * A production start with no users and no OIDC fails at once, saying what to set, instead of serving a command
 * gateway and an admin API that answer nobody (or, misconfigured further, everybody).
 */
@Singleton
public class SecuredByDefault {

    static final String MESSAGE = "No users and no OIDC are configured, so nobody could use the command gateway or"
            + " the admin API. Set users (QUARKUS_SECURITY_USERS_EMBEDDED_USERS_<NAME>=<hash> and"
            + " QUARKUS_SECURITY_USERS_EMBEDDED_ROLES_<NAME>=admin|operator|viewer; docs/operations.md, Security), or"
            + " an OIDC server (QUARKUS_OIDC_AUTH_SERVER_URL), or STORMWATCH_SECURITY_REQUIRE_USERS=false to run"
            + " with both closed on purpose.";

    void check(@Observes StartupEvent started, Config config, StormwatchConfig stormwatch) {
        if (LaunchMode.current() != LaunchMode.NORMAL || !stormwatch.security().requireUsers()) {
            return;
        }
        boolean users = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .anyMatch(name -> name.startsWith("quarkus.security.users.embedded.users.")
                        || name.startsWith("QUARKUS_SECURITY_USERS_EMBEDDED_USERS_"));
        boolean oidc = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class).isPresent()
                || config.getOptionalValue("quarkus.oidc.public-key", String.class).isPresent();
        if (!users && !oidc) {
            throw new IllegalStateException(MESSAGE);
        }
    }
}
