package dev.sentinel.audit.read;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * An RFC 9162 §2.1.4 consistency proof that the tree of {@code from} rows is a prefix of the
 * tree of {@code to} rows: hashes in hex in the RFC's order, with both roots as this service
 * computes them (an auditor compares them with the roots of checkpoints they hold).
 */
@RegisterForReflection
public record ConsistencyProof(long from, long to, String fromRoot, String toRoot, List<String> proof) {
}
