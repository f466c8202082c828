package dev.sentinel.auth.mfa;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One single-use recovery code, stored as the SHA-256 of its normalised form. */
@Entity
@Table(name = "recovery_code")
public class RecoveryCode extends PanacheEntityBase {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Uni<Long> remaining(UUID userId) {
        return count("userId = ?1 and usedAt is null", userId);
    }

    /** Uses the code if it is this user's and unused; 1 if it was, 0 otherwise (atomic). */
    public static Uni<Integer> use(UUID userId, String codeHash, Instant now) {
        return update("usedAt = ?1 where codeHash = ?2 and userId = ?3 and usedAt is null", now, codeHash, userId);
    }

    public static Uni<Long> deleteAllOf(UUID userId) {
        return delete("userId", userId);
    }
}
