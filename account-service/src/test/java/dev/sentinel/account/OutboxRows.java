package dev.sentinel.account;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What account-service wrote to its outbox (and other rows), read straight from PostgreSQL. */
@ApplicationScoped
public class OutboxRows {

    private final Pool pool;

    public OutboxRows(Pool pool) {
        this.pool = pool;
    }

    /** Security events of this type about this user. */
    public long events(String userId, String type) {
        return count("select count(*) from outbox where topic = 'security-events' and message_key = $1 and event_type = $2",
                userId, type);
    }

    /** Email requests with this template for this recipient. */
    public long emails(String recipient, String template) {
        return count("""
                select count(*) from outbox where topic = 'email-requests' and message_key = $1
                   and payload -> 'data' ->> 'template' = $2""", recipient, template);
    }

    /** The locale of every email request with this template for this recipient, oldest first. */
    public List<String> emailLocales(String recipient, String template) {
        List<String> locales = new ArrayList<>();
        for (Row row : pool.preparedQuery("""
                select payload -> 'data' ->> 'locale' from outbox where topic = 'email-requests'
                   and message_key = $1 and payload -> 'data' ->> 'template' = $2 order by created_at""")
                .execute(Tuple.of(recipient, template)).await().atMost(Duration.ofSeconds(10))) {
            locales.add(row.getString(0));
        }
        return locales;
    }

    /** Email requests about this user (whatever the recipient). */
    public long emailsAbout(String userId) {
        return count("select count(*) from outbox where topic = 'email-requests' and payload ->> 'subject' = $1", userId);
    }

    /** The payloads (whole envelopes as JSON text) of this user's events of this type. */
    public List<String> payloads(String userId, String type) {
        List<String> payloads = new ArrayList<>();
        for (Row row : pool.preparedQuery(
                "select payload::text from outbox where message_key = $1 and event_type = $2 order by created_at")
                .execute(Tuple.of(userId, type)).await().atMost(Duration.ofSeconds(10))) {
            payloads.add(row.getString(0));
        }
        return payloads;
    }

    public long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    public Row one(String sql, Object... parameters) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10));
        return rows.size() == 0 ? null : rows.iterator().next();
    }
}
