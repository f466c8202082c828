package dev.sentinel.notification.templates;

/** A mail ready to send: its subject, HTML body (with {@code lang}/{@code dir}) and plain-text body. */
public record RenderedMail(String subject, String html, String text, String language) {
}
