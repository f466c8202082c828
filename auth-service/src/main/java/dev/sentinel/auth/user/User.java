package dev.sentinel.auth.user;

import dev.sentinel.contracts.i18n.Language;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A person who can sign in. The email is stored normalised (see {@code EmailAddress}). */
@Entity
@Table(name = "app_user")
public class User extends PanacheEntityBase {

    public static final String ACTIVE = "ACTIVE";
    public static final String LOCKED = "LOCKED";

    @Id
    public UUID id;

    public String email;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "email_verified")
    public boolean emailVerified;

    @Convert(converter = RolesConverter.class)
    public Set<String> roles;

    public String status;

    @Column(name = "mfa_enabled")
    public boolean mfaEnabled;

    /** Preferred language, a {@link Language} tag: the locale of every email about this user. */
    public String language = Language.FALLBACK.tag();

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean isActive() {
        return isActive(status);
    }

    /** Whether an account with this status may sign in and keep its sessions. */
    public static boolean isActive(String status) {
        return ACTIVE.equals(status);
    }
}
