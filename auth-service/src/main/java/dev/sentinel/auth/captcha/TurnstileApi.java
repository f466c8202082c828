package dev.sentinel.auth.captcha;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Cloudflare Turnstile's siteverify call; the base URI is the whole verify URL. */
public interface TurnstileApi {

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Result> verify(@FormParam("secret") String secret, @FormParam("response") String response,
            @FormParam("remoteip") String remoteIp);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Result(boolean success) {
    }
}
