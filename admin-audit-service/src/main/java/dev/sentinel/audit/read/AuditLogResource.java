package dev.sentinel.audit.read;

import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.regex.Pattern;

/** The audit log over HTTP: rows with their place in the tree, proofs, checkpoints, verify. */
@CompletesOnHangUp
@Path("/v1/admin/audit-logs")
@RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
public class AuditLogResource {

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private final AuditLogService log;
    private final AuditVerifier verifier;

    public AuditLogResource(AuditLogService log, AuditVerifier verifier) {
        this.log = log;
        this.verifier = verifier;
    }

    @GET
    @Path("{seq}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditLogEntry> entry(@PathParam("seq") String seq) {
        return log.entry(number("seq", seq));
    }

    /** {@code size} names the checkpoint (its tree size; {@code treeSize} is accepted too); the newest by default. */
    @GET
    @Path("{seq}/proof")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<InclusionProof> proof(@PathParam("seq") String seq, @QueryParam("size") String size,
            @QueryParam("treeSize") String treeSize) {
        long leaf = number("seq", seq);
        if (size != null && treeSize != null && !size.equals(treeSize)) {
            throw ProblemException.invalidField("size and treeSize differ.", "size", List.of("give one of size and treeSize"));
        }
        String chosen = size != null ? size : treeSize;
        return log.proof(leaf, chosen == null ? null : number(size != null ? "size" : "treeSize", chosen));
    }

    @GET
    @Path("checkpoints/latest")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> latestCheckpoint() {
        return log.latestCheckpoint();
    }

    /** The checkpoint signing key as a C2SP verifier key. */
    @GET
    @Path("public-key")
    @Produces(MediaType.TEXT_PLAIN)
    public String publicKey() {
        return log.publicKey();
    }

    @GET
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<VerifyReport> verify() {
        return verifier.verify();
    }

    private static long number(String name, String value) {
        if (value == null || !NUMBER.matcher(value).matches()) {
            throw ProblemException.invalidField("Bad " + name + ".", name, List.of("must be a whole number from 0"));
        }
        return Long.parseLong(value);
    }
}
