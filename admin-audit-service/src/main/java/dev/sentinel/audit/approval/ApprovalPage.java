package dev.sentinel.audit.approval;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** A page of approvals, newest first; {@code nextCursor} absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalPage(List<ApprovalView> items, String nextCursor) {
}
