package io.stormwatch.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/** The OpenAPI document's security schemes: those really in use with the service's configuration. */
final class SecuritySchemes {

    private static final String BASIC = "basic";
    private static final String OIDC = "oidc";

    private SecuritySchemes() {
    }

    /** HTTP basic always (the embedded realm); OpenID Connect beside it when an auth server is configured. */
    static List<String> declare(OpenAPI openAPI, Config config) {
        Map<String, SecurityScheme> schemes = new LinkedHashMap<>();
        schemes.put(BASIC, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("A user of the configured realm (roles operator, station, admin)."));
        Optional<String> server = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class);
        boolean oidc = config.getOptionalValue("quarkus.oidc.enabled", Boolean.class).orElse(true)
                && (server.isPresent() || config.getOptionalValue("quarkus.oidc.public-key", String.class).isPresent());
        if (oidc) {
            schemes.put(OIDC, server.isPresent()
                    ? OASFactory.createSecurityScheme().type(SecurityScheme.Type.OPENIDCONNECT)
                            .openIdConnectUrl(server.get().replaceAll("/$", "") + "/.well-known/openid-configuration")
                            .description("A bearer token of the configured OpenID Connect server; roles from groups.")
                    : OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .bearerFormat("JWT").description("A bearer JWT signed with the configured key."));
        }
        openAPI.getComponents().setSecuritySchemes(schemes);
        return List.copyOf(schemes.keySet());
    }
}
