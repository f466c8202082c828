package dev.sentinel.audit.read;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** One page of signed checkpoints, newest first; {@code nextCursor} is absent on the last page. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointPage(List<Item> items, String nextCursor) {

    /** A checkpoint: its tree size, root (hex), when it was signed, and the signed note. */
    @RegisterForReflection
    public record Item(long treeSize, String rootHash, String createdAt, String note) {
    }
}
