package dev.sentinel.audit.read;

import dev.sentinel.contracts.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 4180 cells and formula neutralisation, table-driven. */
class ExportFormatTest {

    @Test
    void cellsAreQuotedAndNeutralised() {
        String[][] cases = {
                {null, ""}, {"", ""}, {"plain", "plain"}, {"a,b", "\"a,b\""}, {"say \"hi\"", "\"say \"\"hi\"\"\""},
                {"two\nlines", "\"two\nlines\""}, {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
                {"=1+2", "'=1+2"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"}, {"\tx", "'\tx"},
                {"\rx", "\"'\rx\""}, {"a=b", "a=b"}, {"2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:00.000000Z"}};
        for (String[] c : cases) {
            assertEquals(c[1], ExportFormat.csvCell(c[0]), Arrays.toString(c));
        }
        assertEquals("1,,'=x,\"a,b\"\r\n", ExportFormat.csvRecord(Arrays.asList("1", null, "=x", "a,b")));
    }

    @Test
    void onlyTheTwoFormatsAreKnown() {
        assertEquals(ExportFormat.CSV, ExportFormat.parse("csv"));
        assertEquals(ExportFormat.JSONL, ExportFormat.parse("jsonl"));
        for (String bad : new String[] {null, "", "CSV", "xml", "csv "}) {
            assertThrows(ProblemException.class, () -> ExportFormat.parse(bad));
        }
        assertEquals(15, ExportFormat.CSV_COLUMNS.size());
        assertEquals(List.of("seq", "leafHash"), ExportFormat.CSV_COLUMNS.subList(0, 2));
    }

    @Test
    void anAcceptAllowsTheFormatByTypeRangeOrNothingAtAll() {
        for (String accept : new String[] {null, "", " ", "*/*", "text/*", "text/csv", "Text/CSV;charset=utf-8",
                "application/json, text/csv;q=0.2", "text/html;q=1, */*;q=0.1"}) {
            assertTrue(ExportFormat.CSV.acceptedBy(accept), accept);
        }
        for (String accept : new String[] {"text/html", "application/x-ndjson", "text/csv;q=0", "text/csv;q=nope",
                "application/*", "garbage", ",", "text/event-stream"}) {
            assertFalse(ExportFormat.CSV.acceptedBy(accept), accept);
        }
        assertTrue(ExportFormat.JSONL.acceptedBy("application/*"));
        assertFalse(ExportFormat.JSONL.acceptedBy("text/*"));
    }
}
