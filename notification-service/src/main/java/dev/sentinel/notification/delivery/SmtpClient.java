package dev.sentinel.notification.delivery;

import dev.sentinel.notification.config.NotificationConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.mail.MailClient;
import io.vertx.ext.mail.mailencoder.EmailAddress;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The SMTP connection the sender uses: the Vert.x mail client that quarkus-mailer is built
 * on, configured from quarkus-mailer's own keys ({@code quarkus.mailer.host}, {@code port},
 * {@code username}, {@code password}, {@code from}, {@code bounce-address},
 * {@code start-tls}, {@code ssl}/{@code tls}, {@code login}, {@code auth-methods},
 * {@code own-host-name}, {@code max-pool-size}, {@code keep-alive-timeout}) plus the two
 * timeouts quarkus-mailer 3.34 does not expose: a connect timeout and an idle timeout.
 * Settings it cannot honour (mock, approved recipients, DKIM, named TLS configurations,
 * key and trust stores, NTLM) stop the service at start rather than be ignored, and so does
 * an unknown STARTTLS or login option or a malformed sender address: the bean is built at
 * startup, not at the first send.
 * <p>
 * Without an idle timeout a server that accepts connections and then never answers keeps
 * every pooled connection waiting for its greeting for ever: once the pool is full, no mail
 * goes out even after the server recovers (HungSmtpServerTest shows it). With it, a
 * connection silent for a second longer than the send timeout (which has failed the send
 * as a transient error by then) is closed, and its place in the pool is free again.
 */
@Startup
@Singleton
public class SmtpClient {

    /** quarkus-mailer keys this client cannot honour; setting one stops the service at start. */
    static final List<String> UNSUPPORTED = List.of("quarkus.mailer.approved-recipients",
            "quarkus.mailer.tls-configuration-name", "quarkus.mailer.key-store", "quarkus.mailer.truststore.paths",
            "quarkus.mailer.ntlm.domain", "quarkus.mailer.ntlm.workstation");

    private final MailClient client;
    private final String from;
    private final String bounceAddress;

    public SmtpClient(Vertx vertx, NotificationConfig config, Config settings,
            @ConfigProperty(name = "quarkus.mailer.host") String host,
            @ConfigProperty(name = "quarkus.mailer.port") int port,
            @ConfigProperty(name = "quarkus.mailer.from") String from,
            @ConfigProperty(name = "quarkus.mailer.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.mailer.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.mailer.start-tls", defaultValue = "OPTIONAL") String startTls,
            @ConfigProperty(name = "quarkus.mailer.ssl", defaultValue = "false") boolean ssl,
            @ConfigProperty(name = "quarkus.mailer.tls") Optional<Boolean> tls,
            @ConfigProperty(name = "quarkus.mailer.login", defaultValue = "NONE") String login,
            @ConfigProperty(name = "quarkus.mailer.auth-methods") Optional<String> authMethods,
            @ConfigProperty(name = "quarkus.mailer.own-host-name") Optional<String> ownHostName,
            @ConfigProperty(name = "quarkus.mailer.bounce-address") Optional<String> bounceAddress,
            @ConfigProperty(name = "quarkus.mailer.mock") Optional<Boolean> mock,
            @ConfigProperty(name = "quarkus.mailer.dkim.enabled", defaultValue = "false") boolean dkim,
            @ConfigProperty(name = "quarkus.mailer.max-pool-size", defaultValue = "10") int maxPoolSize,
            @ConfigProperty(name = "quarkus.mailer.keep-alive-timeout", defaultValue = "PT5M") Duration keepAlive) {
        refuseUnsupported(settings, mock.orElse(false), dkim);
        NotificationConfig.Sender sender = config.sender();
        MailConfig mail = new MailConfig()
                .setHostname(host)
                .setPort(port)
                .setSsl(ssl || tls.orElse(false))
                .setStarttls(option(StartTLSOptions.class, "quarkus.mailer.start-tls", startTls))
                .setLogin(option(LoginOption.class, "quarkus.mailer.login", login))
                .setMaxPoolSize(maxPoolSize)
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, keepAlive.toSeconds()))
                .setKeepAliveTimeoutUnit(TimeUnit.SECONDS);
        username.filter(u -> !u.isBlank()).ifPresent(mail::setUsername);
        password.filter(p -> !p.isBlank()).ifPresent(mail::setPassword);
        authMethods.filter(m -> !m.isBlank()).ifPresent(mail::setAuthMethods);
        ownHostName.filter(h -> !h.isBlank()).ifPresent(mail::setOwnHostname);
        // Bounds the TCP connect, and also the wait for a free pooled connection.
        mail.setConnectTimeout((int) sender.connectTimeout().toMillis());
        // A second past the send timeout: the send itself is cut off (and retried) first, then
        // the silent connection is closed and leaves the pool.
        mail.setIdleTimeout((int) sender.sendTimeout().plusSeconds(1).toMillis());
        mail.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        this.from = address("quarkus.mailer.from", from);
        this.bounceAddress = bounceAddress.filter(b -> !b.isBlank()).map(b -> address("quarkus.mailer.bounce-address", b))
                .orElse(null);
        this.client = MailClient.create(vertx, mail);
    }

    static void refuseUnsupported(Config settings, boolean mock, boolean dkim) {
        List<String> refused = new ArrayList<>();
        if (mock) {
            refused.add("quarkus.mailer.mock=true (this service always sends; point it at a local SMTP server instead)");
        }
        if (dkim) {
            refused.add("quarkus.mailer.dkim.enabled=true (sign at the relay instead)");
        }
        UNSUPPORTED.stream().filter(key -> settings.getOptionalValue(key, String.class).isPresent()).forEach(refused::add);
        if (!refused.isEmpty()) {
            throw new IllegalStateException("notification-service does not support these mailer settings: "
                    + String.join(", ", refused));
        }
    }

    static <E extends Enum<E>> E option(Class<E> type, String key, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", not '" + value + "'");
        }
    }

    static String address(String key, String value) {
        try {
            new EmailAddress(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " is not a mail address: " + e.getMessage());
        }
    }

    /** Hands one mail to the server; fails with the server's answer, a timeout or a broken connection. */
    public Uni<Void> send(String to, String subject, String html, String text, String header, String headerValue) {
        MailMessage message = new MailMessage()
                .setFrom(from)
                .setBounceAddress(bounceAddress)
                .setTo(to)
                .setSubject(subject)
                .setHtml(html)
                .setText(text);
        message.addHeader(header, headerValue);
        return client.sendMail(message).replaceWithVoid();
    }

    /** Closed with the bean, after the sender's shutdown wait (a ShutdownEvent observer) is over. */
    @PreDestroy
    void close() {
        client.closeAndForget();
    }
}
