package dev.sentinel.contracts.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * The {@code data} of an {@link EventType#EMAIL_REQUESTED} event: which template to render
 * for whom, in which language (a {@code Language} tag: the recipient's preferred language),
 * with which parameters. Parameters are plain values; the
 * notification service escapes them and builds links from its own public base URL.
 */
@RegisterForReflection
public record EmailRequest(String template, String recipient, String locale, Map<String, String> params) {
}
