package dev.sentinel.auth.user;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Reading a user's own account. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;

    public UserService(UserRepository users) {
        this.users = users;
    }

    @WithSession
    public Uni<User> get(UUID id) {
        return users.findById(id).onItem().ifNull().failWith(
                () -> new ProblemException(ErrorCode.BIZ_USER_NOT_FOUND, "The account no longer exists."));
    }
}
