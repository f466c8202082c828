package dev.sentinel.audit.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.audit.tree.AuditRow;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;


/**
 * Streams the rows of a search as CSV or JSONL: one chunk per page of rows read from the
 * database, and the next page is read only when the client has taken the chunk before, so
 * memory stays one page whatever the export's size (README, Export).
 */
@ApplicationScoped
public class AuditExport {

    private final AuditLogService log;
    private final ObjectMapper json;

    public AuditExport(AuditLogService log, ObjectMapper json) {
        this.log = log;
        this.json = json;
    }

    /** The chunks of an export of a search, newest first; {@code rows} counts the rows put in chunks so far. */
    public Multi<String> export(ExportFormat format, AuditSearch search, java.util.concurrent.atomic.AtomicLong rows) {
        return export(format, log.export(search), rows);
    }

    /** The chunks of an export of pages of rows; {@code rows} counts the rows put in chunks so far. */
    public Multi<String> export(ExportFormat format, Multi<List<AuditLogService.Exported>> pages,
            java.util.concurrent.atomic.AtomicLong rows) {
        Multi<String> header = format == ExportFormat.CSV
                ? Multi.createFrom().item(ExportFormat.csvRecord(ExportFormat.CSV_COLUMNS))
                : Multi.createFrom().empty();
        Multi<String> body = pages.map(page -> {
            rows.addAndGet(page.size());
            StringBuilder chunk = new StringBuilder(page.size() * 512);
            for (AuditLogService.Exported row : page) {
                chunk.append(format == ExportFormat.CSV ? csv(row.entry()) : jsonl(row));
            }
            return chunk.toString();
        });
        return Multi.createBy().concatenating().streams(header, body);
    }

    private String csv(AuditLogEntry entry) {
        return ExportFormat.csvRecord(Arrays.asList(Long.toString(entry.seq()), entry.leafHash(), entry.id(), entry.type(),
                entry.time(), entry.source(), entry.subject(), entry.actor(), entry.outcome(), entry.ip(), entry.userAgent(),
                entry.traceId(), entry.data() == null ? null : write(entry.data()), Boolean.toString(entry.personalDataErased()),
                Boolean.toString(entry.purged())));
    }

    /**
     * The row as the API shows it, plus {@code sealed}: the stored forms its leaf covers (ip and
     * userAgent ciphertext in base64, data as the exact stored text), so the leaf can be
     * recomputed from the line without the database (README, "The canonical bytes of a row").
     */
    private String jsonl(AuditLogService.Exported row) {
        ObjectNode line = json.valueToTree(row.entry());
        AuditRow stored = row.stored();
        ObjectNode sealed = line.putObject("sealed");
        sealed.put("ip", stored.ip() == null ? null : Base64.getEncoder().encodeToString(stored.ip()));
        sealed.put("userAgent", stored.userAgent() == null ? null : Base64.getEncoder().encodeToString(stored.userAgent()));
        sealed.put("data", stored.data());
        return write(line) + "\n";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit row cannot be written as JSON", e);
        }
    }

}
