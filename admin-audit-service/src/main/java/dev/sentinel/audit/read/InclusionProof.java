package dev.sentinel.audit.read;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * An RFC 9162 inclusion proof of one row against a signed checkpoint: hashes in hex, leaf
 * side first; {@code rootHash} is the checkpoint's root and {@code checkpoint} its signed note.
 */
@RegisterForReflection
public record InclusionProof(long leafIndex, String leafHash, List<String> proof, long treeSize, String rootHash,
        String checkpoint) {
}
