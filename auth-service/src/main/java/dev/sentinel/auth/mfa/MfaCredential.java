package dev.sentinel.auth.mfa;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A user's TOTP seed, encrypted; inactive until the first code confirms the enrolment. */
@Entity
@Table(name = "mfa_credential")
public class MfaCredential extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "secret_ciphertext")
    public String secretCiphertext;

    @Column(name = "key_version")
    public String keyVersion;

    public boolean active;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;
}
