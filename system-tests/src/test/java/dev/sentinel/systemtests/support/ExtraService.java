package dev.sentinel.systemtests.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * One more instance of a packaged service beside the suite's, on a free port and a database of
 * its own (e.g. a restored backup); stopped by {@link #close()} (SIGTERM).
 */
public final class ExtraService implements AutoCloseable {

    private final ServiceProcess process;

    ExtraService(ServiceProcess process) {
        this.process = process;
    }

    /** A rest-assured request to this instance, JSON in and out. */
    public RequestSpecification given() {
        return RestAssured.given().baseUri(process.baseUrl()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** Its base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return process.baseUrl();
    }

    @Override
    public void close() {
        process.stop();
    }
}
