package dev.sentinel.notification.delivery;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.ext.mail.SMTPException;

import java.net.ConnectException;
import java.util.regex.Pattern;

/**
 * A failed send, classified: permanent (a 5xx answer, e.g. a rejected recipient) is
 * dead-lettered at once; anything else (server away, 4xx, timeout, broken connection) is
 * transient and retried.
 */
public record SmtpFailure(boolean permanent, String reason) {

    private static final Pattern REPLY_CODE = Pattern.compile("^([245])\\d\\d\\b.*", Pattern.DOTALL);
    private static final int REASON_LIMIT = 500;

    public static SmtpFailure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SMTPException smtp) {
                return new SmtpFailure(smtp.getReplyCode() >= 500, "SMTP " + truncate(smtp.getMessage()));
            }
            if (t instanceof TimeoutException) {
                return new SmtpFailure(false, "SMTP send timed out");
            }
            if (t instanceof ConnectException) {
                return new SmtpFailure(false, "SMTP unreachable: " + truncate(t.getMessage()));
            }
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        var code = REPLY_CODE.matcher(message.trim());
        boolean permanent = code.matches() && code.group(1).equals("5");
        return new SmtpFailure(permanent, "SMTP " + truncate(message));
    }

    private static String truncate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("[\\r\\n]+", " ").trim();
        return oneLine.length() > REASON_LIMIT ? oneLine.substring(0, REASON_LIMIT) : oneLine;
    }
}
