package dev.sentinel.account;

import io.restassured.RestAssured;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Fires many HTTP requests at the service under test at once (all sent before any is
 * awaited, each on its own connection) and collects the answers, for race tests.
 */
public final class Parallel {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Parallel() {
    }

    public record Call(String path, String token, String jsonBody) {
    }

    public record Answer(Call call, int status, String body) {
    }

    public static List<Answer> post(List<Call> calls) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (Call call : calls) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + call.path()))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + call.token())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(call.jsonBody() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(call.jsonBody()))
                    .build();
            answers.add(CompletableFuture.runAsync(() -> await(start))
                    .thenCompose(ignored -> HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                    .thenApply(response -> new Answer(call, response.statusCode(), response.body())));
        }
        start.countDown();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
