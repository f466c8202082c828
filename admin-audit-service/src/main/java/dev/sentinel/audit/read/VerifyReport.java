package dev.sentinel.audit.read;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The outcome of recomputing the log: every leaf from its row, the root at every checkpoint
 * (stored and mirrored). When {@code valid} is false, {@code problem} says what was found —
 * {@code edited} (a row's content no longer matches its leaf), {@code missing} (a seq is
 * absent), {@code root-mismatch} (a checkpoint's root differs from the recomputed one),
 * {@code truncated} (a checkpoint covers more rows than exist) — and {@code firstBadSeq}
 * names the first row concerned when one can be named.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyReport(boolean valid, long treeSize, long checkedRows, int checkpointsChecked, String rootHash,
        String problem, Long firstBadSeq, String detail) {
}
