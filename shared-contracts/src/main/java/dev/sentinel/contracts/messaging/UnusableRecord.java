package dev.sentinel.contracts.messaging;

import java.util.UUID;

/**
 * Thrown by a consumer's handler for a record it can never handle, whatever happens next:
 * unreadable, or missing what the handler needs. {@link ParkedRecords} parks such a record
 * at once with {@link #getMessage()} as the reason, without retrying it.
 */
public class UnusableRecord extends RuntimeException {

    private final transient UUID eventId;

    /** @param reason why the record cannot be used (stored; never put a secret or a full email in it) */
    public UnusableRecord(String reason) {
        this(reason, null);
    }

    /** @param eventId the event id when it could be read, else null */
    public UnusableRecord(String reason, UUID eventId) {
        super(reason, null, false, false);
        this.eventId = eventId;
    }

    /** The event id the record carried, when it could be read; null otherwise. */
    public UUID eventId() {
        return eventId;
    }
}
