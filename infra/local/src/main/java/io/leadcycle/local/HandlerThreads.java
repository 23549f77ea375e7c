package io.leadcycle.local;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The threads handlers run on. Handlers block until their work is done, so they run on plain threads,
 * as in Lambda, never on a Vert.x event loop or worker thread.
 */
final class HandlerThreads implements AutoCloseable {

  private final ExecutorService threads;

  HandlerThreads(int count) {
    threads = Executors.newFixedThreadPool(count);
  }

  void execute(Runnable work) {
    threads.execute(work);
  }

  /**
   * Runs blocking handler work off the event loop and answers with its result back on it; a failure of
   * either (a response Vert.x cannot write) goes to the failure handler, which logs it.
   */
  <T> void answer(RoutingContext ctx, Supplier<T> work, Consumer<T> answer) {
    Future.fromCompletionStage(CompletableFuture.supplyAsync(work, threads), ctx.vertx().getOrCreateContext())
        .onComplete(result -> {
          if (result.failed()) {
            ctx.fail(result.cause());
            return;
          }
          try {
            answer.accept(result.result());
          } catch (RuntimeException e) {
            ctx.fail(e);
          }
        });
  }

  /** Lets running handlers finish, for a few seconds at most. */
  @Override
  public void close() {
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
