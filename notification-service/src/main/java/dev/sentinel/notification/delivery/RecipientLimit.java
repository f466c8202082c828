package dev.sentinel.notification.delivery;

import java.util.Set;

/**
 * The per-recipient limit: at most {@code perWindow} mails per recipient per window and
 * bucket. Verification and reset mails each count in a bucket of their own, everything
 * else shares {@link #GENERAL}, so a burst of security notices never keeps a sign-up or a
 * reset from arriving (nor the other way round).
 */
public record RecipientLimit(int perWindow, Set<String> ownBucketTemplates) {

    public static final String GENERAL = "general";

    /** The bucket a template's mails count in. */
    public String bucket(String template) {
        return ownBucketTemplates.contains(template) ? template : GENERAL;
    }

    /** Whether one more mail may go out when {@code alreadyCounted} went out (or wait to) in the window. */
    public boolean allows(long alreadyCounted) {
        return alreadyCounted < perWindow;
    }

    /** The recipient as counted: case does not make a new recipient. */
    public static String key(String recipient) {
        return recipient.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
