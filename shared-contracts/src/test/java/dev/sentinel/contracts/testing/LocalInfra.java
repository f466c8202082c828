package dev.sentinel.contracts.testing;

/**
 * The real infrastructure that {@code deploy/local/sentinel infra} runs for the tests. No test
 * stops it: an outage is a {@link FaultProxy} between the service under test and the server.
 */
public final class LocalInfra {

    public static final String KAFKA = "127.0.0.1:9092";
    public static final String REDIS = "127.0.0.1:6379";
    public static final String SMTP = "127.0.0.1:3025";

    private LocalInfra() {
    }
}
