package dev.sentinel.audit.read;

import dev.sentinel.audit.access.AccessAudit;
import dev.sentinel.audit.approval.ApprovalView;
import dev.sentinel.audit.approval.Approvals;
import dev.sentinel.audit.erase.SubjectErasure;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import dev.sentinel.contracts.problem.ErrorCode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestMulti;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The audit log over HTTP: rows with their place in the tree, proofs, checkpoints, verify.
 * Every answered read that shows rows (search, one row, a proof) or checks the log (verify) is
 * recorded as {@code audit.read}, every export as {@code audit.exported}, with the admin as
 * actor ({@link AccessAudit}); checkpoints, consistency proofs and the public key carry no row
 * and are not recorded (README, "Reads are audited").
 */
@CompletesOnHangUp
@Path("/v1/admin/audit-logs")
@RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
public class AuditLogResource {

    private static final Logger LOG = Logger.getLogger(AuditLogResource.class);
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private final AuditLogService log;
    private final AuditVerifier verifier;
    private final AuditExport exporter;
    private final AccessAudit audit;
    private final JsonWebToken jwt;
    private final Approvals approvals;

    public AuditLogResource(AuditLogService log, AuditVerifier verifier, AuditExport exporter, AccessAudit audit,
            JsonWebToken jwt, Approvals approvals) {
        this.approvals = approvals;
        this.log = log;
        this.verifier = verifier;
        this.exporter = exporter;
        this.audit = audit;
        this.jwt = jwt;
    }

    /**
     * Search, newest first: every filter is an equality ({@code type} repeatable: any of them),
     * {@code from} inclusive and {@code to} exclusive on the event time; {@code cursor} is the
     * {@code nextCursor} of the page before, with the same filters.
     */
    @Operation(operationId = "searchAuditLog", summary = "Search the audit log, newest first (keyset cursor)")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SearchPage> search(@QueryParam("actor") String actor, @QueryParam("subject") String subject,
            @QueryParam("type") List<String> types, @QueryParam("outcome") String outcome, @QueryParam("ip") String ip,
            @QueryParam("traceId") String traceId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor, @QueryParam("count") String count,
            @Context HttpServerRequest request) {
        AuditSearch search = AuditSearch.parse(actor, subject, types, outcome, ip, traceId, from, to, limit, count);
        AccessAudit.Caller caller = AccessAudit.Caller.of(jwt, request);
        return log.search(search, cursor).call(page -> audit.record(EventType.AUDIT_READ, caller, "success",
                audit.data(data -> {
                    data.put("operation", "search");
                    data.set("filters", audit.filters(search));
                    data.put("limit", search.limit());
                    data.put("cursor", cursor != null);
                    data.put("rowCount", page.items().size());
                    if (page.total() != null) {
                        data.put("total", page.total());
                    }
                })));
    }

    /**
     * The rows a search finds (same filters, no limit or cursor) as RFC 4180 CSV or JSONL,
     * streamed a page at a time. ADMIN only. {@code format} chooses the media type; the
     * {@code Accept} header must allow it (absent or {@code *}{@code /*} does), else 406
     * {@code VAL_NOT_ACCEPTABLE}. No {@code @Produces}, on purpose: RESTEasy Reactive gives a
     * {@code RestMulti<String>} the default {@code text/plain} (refusing {@code Accept: text/csv}
     * with 406 before the method runs), cannot stream a Multi with two declared types, and streams
     * one declared {@code *}{@code /*} as server-sent events. Chunks of bytes get no default type,
     * so the method negotiates itself and sets the type on the {@link RestMulti}.
     */
    @Operation(operationId = "exportAuditLog", summary = "Stream the matching rows as RFC 4180 CSV or JSON lines",
            description = "`format` chooses the media type: `csv` answers `text/csv; charset=utf-8`, `jsonl` answers"
                    + " `application/x-ndjson`. The `Accept` header must allow the chosen type (absent, `*/*`, `text/*`"
                    + " or the type itself); any other answers 406 `VAL_NOT_ACCEPTABLE`.")
    @APIResponse(responseCode = "200", description = "The rows, streamed (empty when nothing matches, for JSON lines)",
            content = {@Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                    description = "RFC 4180 CSV with a header record; every record ends in CRLF")),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING,
                    description = "One JSON object per line, each ending in LF"))})
    @GET
    @Path("export")
    @RolesAllowed(Roles.ADMIN)
    public RestMulti<byte[]> export(@QueryParam("format") String format, @QueryParam("actor") String actor,
            @QueryParam("subject") String subject, @QueryParam("type") List<String> types,
            @QueryParam("outcome") String outcome, @QueryParam("ip") String ip, @QueryParam("traceId") String traceId,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("order") String order,
            @Context HttpHeaders headers, @Context HttpServerRequest request) {
        ExportFormat chosen = ExportFormat.parse(format);
        if (!chosen.acceptedBy(headers.getHeaderString(HttpHeaders.ACCEPT))) {
            throw new ProblemException(ErrorCode.VAL_NOT_ACCEPTABLE, "format=" + chosen.name().toLowerCase(Locale.ROOT)
                    + " answers " + chosen.mediaType() + ", which the Accept header does not allow.");
        }
        AuditSearch search = AuditSearch.parse(actor, subject, types, outcome, ip, traceId, from, to, null, null);
        boolean seqOrder = seqOrder(order, search);
        AccessAudit.Caller caller = AccessAudit.Caller.of(jwt, request);
        AtomicLong rows = new AtomicLong();
        // The record is written when the stream ends, with the rows actually sent: on completion
        // the last chunk waits for its commit; a hang-up or failure is recorded as a failure.
        var chunks = seqOrder ? exporter.export(chosen, log.exportInSeqOrder(), rows) : exporter.export(chosen, search, rows);
        var recorded = chunks.onTermination().call((failure, cancelled) -> {
            boolean completed = failure == null && !cancelled;
            return audit.record(EventType.AUDIT_EXPORTED, caller, completed ? "success" : "failure", audit.data(data -> {
                data.put("format", chosen.name().toLowerCase(Locale.ROOT));
                data.set("filters", audit.filters(search));
                if (seqOrder) {
                    data.put("order", "seq");
                }
                data.put("rowCount", rows.get());
                data.put("completed", completed);
                if (!completed) {
                    data.put("reason", cancelled ? "the client hung up" : "the export failed");
                }
            })).onFailure().invoke(e -> LOG.errorf("audit.exported of %s not recorded: %s", caller.admin(), e.toString()));
        });
        return RestMulti.fromMultiData(recorded.map(chunk -> chunk.getBytes(StandardCharsets.UTF_8)))
                // With a type that is not JSON this writes every item as it is; false would add '\n' after each.
                .encodeAsJsonArray(true)
                .header("Content-Type", chosen.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + chosen.fileName() + "\"")
                .build();
    }

    /**
     * {@code order}: {@code time} (default, newest first, like search) or {@code seq} — every row from seq 0
     * up, the input of the offline verifier, which takes no filter (a filtered export has gaps).
     */
    private static boolean seqOrder(String order, AuditSearch search) {
        if (order == null || order.equals("time")) {
            return false;
        }
        if (!order.equals("seq")) {
            throw ProblemException.invalidField("Bad order.", "order", List.of("must be time or seq"));
        }
        if (search.actor() != null || search.subject() != null || !search.types().isEmpty() || search.outcome() != null
                || search.ip() != null || search.traceId() != null || search.from() != null || search.to() != null) {
            throw ProblemException.invalidField("order=seq exports the whole log, for the offline verifier; it takes no filter.",
                    "order", List.of("seq takes no filter"));
        }
        return true;
    }

    @Operation(operationId = "getAuditLogEntry", summary = "One row with its leaf hash")
    @GET
    @Path("{seq}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditLogEntry> entry(@PathParam("seq") String seq, @Context HttpServerRequest request) {
        long wanted = number("seq", seq);
        AccessAudit.Caller caller = AccessAudit.Caller.of(jwt, request);
        return log.entry(wanted).call(entry -> audit.record(EventType.AUDIT_READ, caller, "success", audit.data(data -> {
            data.put("operation", "entry");
            data.put("seq", wanted);
            data.put("rowCount", 1);
        })));
    }

    /** {@code size} names the checkpoint (its tree size; {@code treeSize} is accepted too); the newest by default. */
    @Operation(operationId = "getInclusionProof", summary = "An RFC 9162 inclusion proof of one row against a tree size")
    @GET
    @Path("{seq}/proof")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<InclusionProof> proof(@PathParam("seq") String seq, @QueryParam("size") String size,
            @QueryParam("treeSize") String treeSize, @Context HttpServerRequest request) {
        long leaf = number("seq", seq);
        if (size != null && treeSize != null && !size.equals(treeSize)) {
            throw ProblemException.invalidField("size and treeSize differ.", "size", List.of("give one of size and treeSize"));
        }
        String chosen = size != null ? size : treeSize;
        AccessAudit.Caller caller = AccessAudit.Caller.of(jwt, request);
        return log.proof(leaf, chosen == null ? null : number(size != null ? "size" : "treeSize", chosen))
                .call(proof -> audit.record(EventType.AUDIT_READ, caller, "success", audit.data(data -> {
                    data.put("operation", "proof");
                    data.put("seq", leaf);
                    data.put("treeSize", proof.treeSize());
                    data.put("rowCount", 1);
                })));
    }

    @GET
    @Path("checkpoints/latest")
    @Produces(MediaType.TEXT_PLAIN)
    @Extension(name = ProblemResponses.ERRORS, value = "SYS_NOT_FOUND") // before the first checkpoint is signed
    public Uni<String> latestCheckpoint() {
        return log.latestCheckpoint();
    }

    /** Signed checkpoints, newest first; {@code cursor} is the {@code nextCursor} of the page before. */
    @Operation(operationId = "listCheckpoints", summary = "The signed checkpoints, newest first")
    @GET
    @Path("checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CheckpointPage> checkpoints(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return log.checkpoints(PageCursor.limit(limit), cursor == null ? null : PageCursor.checkpointBefore(cursor));
    }

    /** RFC 9162 consistency proof between the trees of {@code from} and {@code to} rows ({@code to}: the newest checkpoint by default). */
    @Operation(operationId = "getConsistencyProof", summary = "An RFC 9162 consistency proof between two tree sizes")
    @GET
    @Path("consistency")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ConsistencyProof> consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
        return log.consistency(number("from", from), to == null ? null : number("to", to));
    }

    /** The checkpoint signing keys as C2SP verifier keys: the current one, then rotated-out ones. */
    @GET
    @Path("public-key")
    @Produces(MediaType.TEXT_PLAIN)
    public String publicKey() {
        return log.publicKey();
    }

    @Operation(operationId = "verifyAuditLog", summary = "Recompute every leaf and the tree; name the first edited, inserted or missing row")
    @GET
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<VerifyReport> verify(@Context HttpServerRequest request) {
        AccessAudit.Caller caller = AccessAudit.Caller.of(jwt, request);
        return verifier.verify().call(report -> audit.record(EventType.AUDIT_READ, caller, "success", audit.data(data -> {
            data.put("operation", "verify");
            data.put("valid", report.valid());
            data.put("treeSize", report.treeSize());
            if (report.problem() != null) {
                data.put("problem", report.problem());
            }
        })));
    }

    /**
     * Erases the personal fields of a subject's rows (its key deleted, its ip index cleared),
     * audited as {@code subject.erased}. ADMIN only, and a four-eyes action (README, "Erasure"
     * and "Four-eyes approvals"): 202 with the pending approval, which another ADMIN approves
     * before anything is erased; 200 at once while fewer than two active ADMINs exist, or when
     * {@code admin.approvals.required-for} leaves erasure out.
     */
    @Operation(operationId = "eraseSubject", summary = "Erase a subject's personal fields (after a second ADMIN's approval); every proof still verifies")
    @APIResponse(responseCode = "200", description = "Erased",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubjectErasure.Erased.class)))
    @APIResponse(responseCode = "202", description = "The erasure waits for another ADMIN's approval",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApprovalView.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_CONFLICT")
    @POST
    @Path("subjects/{id}/erase")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> erase(@PathParam("id") String id, @Context HttpServerRequest request) {
        String subject = SubjectErasure.checked(id);
        return approvals.erase(AccessAudit.Caller.of(jwt, request), subject).map(gated -> gated.pending() != null
                ? Response.accepted(gated.pending()).location(URI.create("/v1/admin/approvals/" + gated.pending().id())).build()
                : Response.ok(gated.done()).build());
    }

    private static long number(String name, String value) {
        if (value == null || !NUMBER.matcher(value).matches()) {
            throw ProblemException.invalidField("Bad " + name + ".", name, List.of("must be a whole number from 0"));
        }
        return Long.parseLong(value);
    }
}
