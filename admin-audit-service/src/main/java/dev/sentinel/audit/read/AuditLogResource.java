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
import org.jboss.resteasy.reactive.RestMulti;

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
    private final AuditExport exporter;

    public AuditLogResource(AuditLogService log, AuditVerifier verifier, AuditExport exporter) {
        this.log = log;
        this.verifier = verifier;
        this.exporter = exporter;
    }

    /**
     * Search, newest first: every filter is an equality ({@code type} repeatable: any of them),
     * {@code from} inclusive and {@code to} exclusive on the event time; {@code cursor} is the
     * {@code nextCursor} of the page before, with the same filters.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SearchPage> search(@QueryParam("actor") String actor, @QueryParam("subject") String subject,
            @QueryParam("type") List<String> types, @QueryParam("outcome") String outcome, @QueryParam("ip") String ip,
            @QueryParam("traceId") String traceId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor, @QueryParam("count") String count) {
        return log.search(AuditSearch.parse(actor, subject, types, outcome, ip, traceId, from, to, limit, count), cursor);
    }

    /**
     * The rows a search finds (same filters, no limit or cursor) as RFC 4180 CSV or JSONL,
     * streamed a page at a time. ADMIN only. No {@code @Produces}: the media type follows
     * {@code format} and is set on the {@link RestMulti} (RESTEasy Reactive streams a Multi
     * only with one fixed or no declared type).
     */
    @GET
    @Path("export")
    @RolesAllowed(Roles.ADMIN)
    public RestMulti<String> export(@QueryParam("format") String format, @QueryParam("actor") String actor,
            @QueryParam("subject") String subject, @QueryParam("type") List<String> types,
            @QueryParam("outcome") String outcome, @QueryParam("ip") String ip, @QueryParam("traceId") String traceId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        ExportFormat chosen = ExportFormat.parse(format);
        AuditSearch search = AuditSearch.parse(actor, subject, types, outcome, ip, traceId, from, to, null, null);
        return RestMulti.fromMultiData(exporter.export(chosen, search))
                // With a type that is not JSON this writes every item as it is; false would add '\n' after each.
                .encodeAsJsonArray(true)
                .header("Content-Type", chosen.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + chosen.fileName() + "\"")
                .build();
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

    /** Signed checkpoints, newest first; {@code cursor} is the {@code nextCursor} of the page before. */
    @GET
    @Path("checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CheckpointPage> checkpoints(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return log.checkpoints(PageCursor.limit(limit), cursor == null ? null : PageCursor.checkpointBefore(cursor));
    }

    /** RFC 9162 consistency proof between the trees of {@code from} and {@code to} rows ({@code to}: the newest checkpoint by default). */
    @GET
    @Path("consistency")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ConsistencyProof> consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
        return log.consistency(number("from", from), to == null ? null : number("to", to));
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
