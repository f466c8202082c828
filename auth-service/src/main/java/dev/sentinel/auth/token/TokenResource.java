package dev.sentinel.auth.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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

    @Operation(operationId = "issueServiceToken", summary = "A SERVICE access token for a client (OAuth 2.0 client_credentials)")
    @APIResponse(responseCode = "200", description = "The access token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenAnswer.class)))
    @APIResponse(responseCode = "400", description = "invalid_request or unsupported_grant_type (RFC 6749 error)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(responseCode = "401", description = "invalid_client (RFC 6749 error)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
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
        return Response.ok(new TokenAnswer(tokens.issueForService(id), "Bearer", tokens.lifetime().toSeconds()))
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
                .entity(new OAuthError(error, description)).build();
    }

    /** An RFC 6749 §5.2 error body ({@code invalid_request}, {@code invalid_client}, ...). */
    @RegisterForReflection
    public record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {
    }

    /** The RFC 6749 §5.1 answer. */
    public record TokenAnswer(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn) {
    }
}
