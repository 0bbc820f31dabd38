package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.register;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OIDC bearer tokens, on by configuration alone: here the token verification key is configured
 * ({@code quarkus.oidc.public-key}), as it would be by an auth server's JWKS in production. Roles come from the
 * token's {@code groups}. Basic authentication keeps working beside it.
 */
@QuarkusTest
@TestProfile(OidcBearerTest.WithOidc.class)
class OidcBearerTest {

    private static final KeyPair KEYS = keys();

    public static class WithOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.public-key",
                    Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()));
        }
    }

    @Test
    void a_token_with_role_operator_may_send_commands_and_others_may_not() {
        given().auth().oauth2(token("station-ops", "operator", 300)).contentType("application/json")
                .body(register(newStationId("OIDC")).encode()).post("/api/commands").then().statusCode(202)
                .body("status", equalTo("accepted"));
        given().auth().oauth2(token("reader", "viewer", 300)).contentType("application/json")
                .body(register(newStationId("OIDC")).encode()).post("/api/commands").then().statusCode(403);
        given().auth().oauth2(token("late", "operator", -60)).contentType("application/json")
                .body(register(newStationId("OIDC")).encode()).post("/api/commands").then().statusCode(401);
        given().auth().oauth2(token("admin-bot", "admin", 300)).get("/api/admin/dead-letters").then()
                .statusCode(200);
        given().auth().preemptive().basic("operator", "operator-password").contentType("application/json")
                .body(register(newStationId("OIDC")).encode()).post("/api/commands").then().statusCode(202);
    }

    /** An RS256 JWT signed with the configured key, expiring {@code lifetimeSeconds} from now. */
    private static String token(String subject, String group, long lifetimeSeconds) {
        long now = Instant.now().getEpochSecond();
        String header = base64(new JsonObject().put("alg", "RS256").put("typ", "JWT").encode());
        String claims = base64(new JsonObject().put("sub", subject).put("preferred_username", subject)
                .put("groups", new JsonArray().add(group)).put("iat", now - 120).put("exp", now + lifetimeSeconds)
                .encode());
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(KEYS.getPrivate());
            rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
