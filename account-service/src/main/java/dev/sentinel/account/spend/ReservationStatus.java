package dev.sentinel.account.spend;

/** Life of a hold: HELD until committed, released or expired; the last three are final. */
public enum ReservationStatus {
    HELD,
    COMMITTED,
    RELEASED,
    EXPIRED
}
