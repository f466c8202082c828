package dev.sentinel.contracts.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;

/**
 * Every service, started as a packaged application (the prod profile, or any profile that is not
 * Quarkus' dev or test mode), refuses to start when a secret is set to an example value the
 * repository ships ({@link ExampleSecrets}), naming the variable and never the value. Runs
 * before every other start-up observer, so nothing is consumed, published or scheduled first.
 * A missing secret is Quarkus' own start-up error, which names the variable too.
 */
@ApplicationScoped
public class ExampleSecretsGuard {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Config config) {
        if (LaunchMode.current().isDevOrTest()) {
            return;
        }
        String refusal = ExampleSecrets.refusal(ExampleSecrets.find(config));
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
    }
}
