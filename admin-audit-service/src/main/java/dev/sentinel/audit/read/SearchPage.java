package dev.sentinel.audit.read;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One page of a search, newest first: {@code nextCursor} is absent on the last page,
 * {@code total} (every row matching the filters) only when {@code count=true} was asked.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchPage(List<AuditLogEntry> items, String nextCursor, Long total) {
}
