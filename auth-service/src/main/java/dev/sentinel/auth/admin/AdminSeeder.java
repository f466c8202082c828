package dev.sentinel.auth.admin;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.password.PasswordHasher;
import dev.sentinel.auth.user.EmailAddress;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.user.UserRepository;
import dev.sentinel.contracts.log.Redact;
import dev.sentinel.contracts.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Creates the first administrator from ADMIN_EMAIL / ADMIN_PASSWORD at start, once: a
 * verified account with roles ADMIN and USER, if no account has that address. In the prod
 * profile a missing or weak admin password stops the start, naming the variable.
 */
@ApplicationScoped
public class AdminSeeder {

    private static final Logger LOG = Logger.getLogger(AdminSeeder.class);

    private final AuthConfig.Admin admin;
    private final PasswordHasher hasher;
    private final UserRepository users;

    private final boolean prod;
    private final Clock clock;

    public AdminSeeder(AuthConfig config, PasswordHasher hasher, UserRepository users,
            @ConfigProperty(name = "quarkus.profile") String profile, Clock clock) {
        this.admin = config.admin();
        this.hasher = hasher;
        this.users = users;
        this.prod = "prod".equals(profile);
        this.clock = clock;
    }

    void seed(@Observes StartupEvent event) throws Throwable {
        if (admin.email().isEmpty() || admin.password().isEmpty()) {
            if (prod) {
                throw new IllegalStateException("ADMIN_EMAIL and ADMIN_PASSWORD must be set in the prod profile");
            }
            return;
        }
        String email = EmailAddress.normalise(admin.email().get())
                .orElseThrow(() -> new IllegalStateException("ADMIN_EMAIL is not a valid email address"));
        String password = admin.password().get();
        List<String> problems = VertxContextSupport.subscribeAndAwait(() -> hasher.policyProblems(password, email));
        if (!problems.isEmpty()) {
            String message = "ADMIN_PASSWORD does not meet the password policy: " + String.join(", ", problems);
            if (prod) {
                throw new IllegalStateException(message);
            }
            LOG.warn(message + " (accepted outside the prod profile)");
        }
        boolean created = VertxContextSupport.subscribeAndAwait(() -> hasher.hash(password)
                .chain(hash -> Panache.withTransaction(() -> createIfAbsent(email, hash))));
        if (created) {
            LOG.infof("Created the first administrator %s", Redact.email(email));
        }
    }

    private Uni<Boolean> createIfAbsent(String email, String passwordHash) {
        return users.findByEmail(email).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            User user = new User();
            user.id = UUID.randomUUID();
            user.email = email;
            user.passwordHash = passwordHash;
            user.emailVerified = true;
            user.roles = Set.of(Roles.ADMIN, Roles.USER);
            user.status = User.ACTIVE;
            user.createdAt = clock.instant();
            user.updatedAt = user.createdAt;
            return users.persist(user).replaceWith(true);
        });
    }
}
