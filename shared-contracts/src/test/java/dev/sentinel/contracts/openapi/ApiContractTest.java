package dev.sentinel.contracts.openapi;

import com.sun.net.httpserver.HttpServer;
import dev.sentinel.contracts.testing.ApiContract;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract check itself can fail: against a tiny server whose document says
 * {@code GET /thing} answers 200 with {@code {"name": string}}, an undocumented status, a
 * body of the wrong shape and an undocumented problem code each fail; the documented
 * answer and a path the document does not cover pass.
 */
class ApiContractTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1", "license": {"name": "x", "identifier": "MIT"}},
             "paths": {"/thing/{case}": {"get": {"operationId": "thing",
               "parameters": [{"name": "case", "in": "path", "required": true, "schema": {"type": "string"}}],
               "responses": {
                 "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object",
                    "required": ["name"], "properties": {"name": {"type": "string"}}}}}},
                 "404": {"description": "no", "content": {"application/problem+json": {"schema": {"type": "object",
                    "properties": {"code": {"type": "string", "enum": ["SYS_NOT_FOUND"]}}}}}}}}}}}
            """;
    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/openapi", exchange -> answer(exchange, 200, "application/json", DOCUMENT));
        server.createContext("/thing/", exchange -> {
            switch (exchange.getRequestURI().getPath().substring("/thing/".length())) {
                case "good" -> answer(exchange, 200, "application/json", "{\"name\": \"n\"}");
                case "teapot" -> answer(exchange, 418, "application/json", "{}");
                case "shape" -> answer(exchange, 200, "application/json", "{\"name\": 7}");
                case "code" -> answer(exchange, 404, "application/problem+json", "{\"code\": \"BIZ_CONFLICT\"}");
                default -> answer(exchange, 404, "application/problem+json", "{\"code\": \"SYS_NOT_FOUND\"}");
            }
        });
        server.createContext("/elsewhere", exchange -> answer(exchange, 500, "text/plain", "anything"));
        server.start();
        ApiContract.install();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void whatTheDocumentDescribesPassesAndNothingElseDoes() {
        get("/thing/good");
        get("/thing/other");
        get("/elsewhere");
        for (String wrong : new String[] {"/thing/teapot", "/thing/shape", "/thing/code"}) {
            AssertionError error = assertThrows(AssertionError.class, () -> get(wrong), wrong);
            assertTrue(error.getMessage().contains("is not what the service's OpenAPI describes"), error.getMessage());
        }
    }

    private static void get(String path) {
        RestAssured.given().baseUri("http://127.0.0.1:" + server.getAddress().getPort()).get(path);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
