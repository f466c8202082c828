package dev.sentinel.account.accounts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.account.plan.Plan;
import dev.sentinel.contracts.events.EmailRequest;
import dev.sentinel.contracts.events.EmailParams;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.outbox.OutboxWriter;
import dev.sentinel.contracts.web.TraceIds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events account-service publishes, written to the outbox in the caller's transaction:
 * security events keyed by the account's user id, and email requests keyed by recipient.
 */
@ApplicationScoped
public class AccountEvents {

    static final String SOURCE = "account-service";

    private final OutboxWriter outbox;
    private final ObjectMapper json;

    public AccountEvents(OutboxWriter outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    public Uni<Void> planChanged(Account account, Plan from, String actor) {
        ObjectNode data = json.createObjectNode()
                .put("from", from.name())
                .put("to", account.plan.name())
                .put("monthlyCapCents", account.monthlyCapCents);
        return security(account, EventType.PLAN_CHANGED, actor, data);
    }

    public Uni<Void> limitsChanged(Account account, long previousCapCents, int previousWarnPercent, String actor) {
        ObjectNode data = json.createObjectNode()
                .put("monthlyCapCents", account.monthlyCapCents)
                .put("warnThresholdPercent", account.warnThresholdPercent)
                .put("previousMonthlyCapCents", previousCapCents)
                .put("previousWarnThresholdPercent", previousWarnPercent);
        return security(account, EventType.LIMITS_CHANGED, actor, data);
    }

    /** {@code spend.threshold_crossed} and, when the account has an email, a spend-warning email. */
    public Uni<Void> thresholdCrossed(Account account, String actor) {
        return security(account, EventType.SPEND_THRESHOLD_CROSSED, actor, totals(account)
                .put("warnThresholdPercent", account.warnThresholdPercent))
                .chain(() -> email(account, EmailTemplate.SPEND_WARNING));
    }

    /** {@code spend.cap_reached} and, when the account has an email, a cap-reached email. */
    public Uni<Void> capReached(Account account, String actor) {
        return security(account, EventType.SPEND_CAP_REACHED, actor, totals(account))
                .chain(() -> email(account, EmailTemplate.SPEND_CAP_REACHED));
    }

    private ObjectNode totals(Account account) {
        return json.createObjectNode()
                .put("monthlyCapCents", account.monthlyCapCents)
                .put("spentCents", account.spentCents)
                .put("reservedCents", account.reservedCents)
                .put("periodStart", account.period().start().toString())
                .put("periodEnd", account.period().end().toString());
    }

    private Uni<Void> security(Account account, EventType type, String actor, ObjectNode data) {
        EventEnvelope event = EventEnvelope.of(type, SOURCE)
                .subject(account.userId)
                .actor(actor)
                .traceId(TraceIds.current())
                .data(data)
                .build();
        return outbox.append(Topics.SECURITY_EVENTS, account.userId, event);
    }

    private Uni<Void> email(Account account, EmailTemplate template) {
        if (account.email == null) {
            return Uni.createFrom().voidItem();
        }
        // Raw figures for machines, and the display strings the templates show (EmailTemplate).
        Map<String, String> params = new LinkedHashMap<>();
        params.put("capCents", Long.toString(account.monthlyCapCents));
        params.put("spentCents", Long.toString(account.spentCents));
        params.put("periodEnd", account.period().end().toString());
        params.put("warnThresholdPercent", Integer.toString(account.warnThresholdPercent));
        params.put(EmailParams.PERCENT, Integer.toString(account.warnThresholdPercent));
        params.put(EmailParams.CAP, Money.display(account.monthlyCapCents));
        params.put(EmailParams.SPENT, Money.display(account.spentCents));
        params.put(EmailParams.RESETS_AT, Money.displayTime(account.period().end()));
        EmailRequest request = new EmailRequest(template.wireName(), account.email, account.language, params);
        EventEnvelope event = EventEnvelope.of(EventType.EMAIL_REQUESTED, SOURCE)
                .subject(account.userId)
                .traceId(TraceIds.current())
                .data(json.valueToTree(request))
                .build();
        return outbox.append(Topics.EMAIL_REQUESTS, account.email, event);
    }
}
