package dev.sentinel.audit.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/** auth-service's OAuth 2.0 token endpoint, for this service's own SERVICE token (client_credentials). */
@RegisterRestClient(configKey = "auth-service")
@Path("/v1/auth/token")
public interface AuthTokenApi {

    record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") long expiresIn) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<TokenResponse> token(@HeaderParam("Authorization") String basic, @FormParam("grant_type") String grantType);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return AuthAnswered.of(response);
    }
}
