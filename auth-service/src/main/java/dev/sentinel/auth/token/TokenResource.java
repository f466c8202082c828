package dev.sentinel.auth.token;

import dev.sentinel.contracts.web.CompletesOnHangUp;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * OAuth 2.0 client_credentials (RFC 6749 §4.4) for service-to-service calls. Errors here use
 * the RFC's own JSON error bodies ({@code invalid_client}, ...), as OAuth clients expect.
 */
@CompletesOnHangUp
@Path("/v1/auth/token")
public class TokenResource {

    private final ServiceClients clients;
    private final AccessTokens tokens;

    public TokenResource(ServiceClients clients, AccessTokens tokens) {
        this.clients = clients;
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String formId,
            @FormParam("client_secret") String formSecret, @HeaderParam("Authorization") String authorization) {
        if (grantType == null || grantType.isBlank()) {
            return error(400, "invalid_request", "grant_type is required");
        }
        if (!"client_credentials".equals(grantType)) {
            return error(400, "unsupported_grant_type", "only client_credentials is supported");
        }
        String id = formId;
        String secret = formSecret;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] basic = decodeBasic(authorization.substring(6).trim());
            if (basic == null) {
                return error(401, "invalid_client", "malformed client authentication");
            }
            id = basic[0];
            secret = basic[1];
        }
        if (id == null || secret == null || id.length() > 128 || secret.length() > 512
                || !clients.authenticate(id, secret)) {
            return Response.fromResponse(error(401, "invalid_client", "client authentication failed"))
                    .header("WWW-Authenticate", "Basic realm=\"sentinel\"").build();
        }
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(Map.of(
                        "access_token", tokens.issueForService(id),
                        "token_type", "Bearer",
                        "expires_in", tokens.lifetime().toSeconds()))
                .cacheControl(noStore).header("Pragma", "no-cache").build();
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response error(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", error, "error_description", description)).build();
    }
}
