package io.leadcycle.notifications;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one webhook, safely: the URL's host is resolved here, every address it resolves to is checked
 * against the {@link TargetPolicy} before any connection, and the connection goes to the checked
 * address (the URL's host stays the Host header, the TLS server name and the name the certificate
 * must match), so DNS that changes between check and connect (rebinding) cannot redirect it.
 * Redirects are never followed; the response body is discarded unread.
 *
 * <p>The lookup and the check ({@link #target}) are apart from the request ({@link #post(Target, MultiMap,
 * Buffer)}), so that the dispatcher does them when it claims deliveries, off the sending slots; answers are
 * kept a short time per host ({@link HostAddresses}) and checked again at every use.
 *
 * <p>{@link #send} does not block (the answer completes a future); {@link #post} blocks, waiting for
 * the answer, and {@link #target} may wait for a DNS lookup: call those two from a worker thread.
 */
public final class WebhookSender implements AutoCloseable {

  /** How a host name becomes addresses (the JVM's resolver; tests may replace it). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** One attempt: the receiver's status (null when there was none) or the error, and how long it took. */
  public record Result(Integer status, String error, String retryAfter, int durationMs) {
  }

  /**
   * Where one webhook goes: the URL's host (Host header, TLS server name, certificate name), port, scheme
   * and path, and the checked address to connect to; or, with {@code refusal} set, why it goes nowhere.
   */
  public record Target(String host, int port, boolean https, String path, InetAddress address, String refusal) {

    static Target refused(String why) {
      return new Target(null, 0, false, null, null, why);
    }
  }

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ERROR = 500;

  private final WebClient client;
  private final TargetPolicy policy;
  private final HostAddresses hosts;
  private final Duration timeout;

  public WebhookSender(Vertx vertx, TargetPolicy policy, Duration timeout, int connections) {
    this(vertx, policy, InetAddress::getAllByName, timeout, connections);
  }

  public WebhookSender(Vertx vertx, TargetPolicy policy, Resolver resolver, Duration timeout, int connections) {
    this(vertx, policy, resolver, System::nanoTime, timeout, connections);
  }

  /** {@code nanoTime}: the clock of the DNS cache (tests move it). */
  WebhookSender(Vertx vertx, TargetPolicy policy, Resolver resolver, java.util.function.LongSupplier nanoTime,
      Duration timeout, int connections) {
    this.policy = policy;
    this.hosts = new HostAddresses(resolver, nanoTime, HostAddresses.DEFAULT_TTL, HostAddresses.DEFAULT_FAILURE_TTL);
    this.timeout = timeout;
    WebClientOptions options = new WebClientOptions()
        .setFollowRedirects(false)
        .setVerifyHost(true)
        .setForceSni(true)
        .setConnectTimeout((int) Math.min(timeout.toMillis(), 5_000))
        .setIdleTimeout((int) timeout.toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setUserAgent("Leadcycle-Webhooks/1");
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(connections));
  }

  /**
   * Where a webhook to {@code url} goes: the URL's scheme and host checked, the host's addresses (from the
   * short-lived {@link HostAddresses} cache, looked up when missing) every one checked against the policy,
   * and the one to connect to; or why not. Called when deliveries are claimed, so that the sending slots
   * never wait for DNS. Never throws.
   */
  public Target target(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Target.refused("the URL is not valid");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean https = scheme.equals("https");
    if (!https && !(scheme.equals("http") && policy.allowsHttp())) {
      return Target.refused("only https URLs are allowed (got " + (scheme.isEmpty() ? "none" : scheme) + ")");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return Target.refused("the URL has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    HostAddresses.Answer answer = hosts.lookup(host);
    if (answer.addresses() == null) {
      return Target.refused(answer.failure());
    }
    // Every address is checked, at every use of a cached answer: a name with one public and one private
    // address is refused as a whole.
    for (InetAddress address : answer.addresses()) {
      String refusal = policy.refusal(address);
      if (refusal != null) {
        return Target.refused(refusal + "; not connected");
      }
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new Target(host, port, https, path, answer.addresses()[0], null);
  }

  /** POSTs {@code body} with {@code headers} to {@code url}, looking its host up if need be; see {@link #post(Target, MultiMap, Buffer)}. */
  public Result post(String url, MultiMap headers, Buffer body) {
    long started = System.nanoTime();
    Target target = target(url);
    return target.refusal() != null ? failed(target.refusal(), started) : post(target, headers, body);
  }

  /**
   * POSTs {@code body} with {@code headers} to a target from {@link #target}: to the address checked there,
   * never resolving again; a refused target is a failed attempt that connects nowhere. Never throws for
   * what the receiver or the network does.
   */
  public Result post(Target target, MultiMap headers, Buffer body) {
    return send(target, headers, body).await();
  }

  /**
   * As {@link #post(Target, MultiMap, Buffer)}, without blocking: the answer completes the future on the
   * client's event loop, and no thread waits for it meanwhile. The future never fails: what the receiver
   * or the network does is a {@link Result}.
   */
  public Future<Result> send(Target target, MultiMap headers, Buffer body) {
    long started = System.nanoTime();
    if (target.refusal() != null) {
      return Future.succeededFuture(failed(target.refusal(), started));
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.https())
        .setURI(target.path())
        .setFollowRedirects(false);
    try {
      return client
          .request(HttpMethod.POST, SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()),
              options)
          .putHeaders(headers)
          .timeout(timeout.toMillis())
          .followRedirects(false)
          .as(BodyCodec.none())
          .sendBuffer(body)
          .timeout(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
          .transform(answer -> Future.succeededFuture(answer.succeeded()
              ? new Result(answer.result().statusCode(), null, answer.result().getHeader("Retry-After"),
                  millisSince(started))
              : failed(describe(answer.cause()), started)));
    } catch (Exception | Error e) {
      return Future.succeededFuture(failed(describe(e), started));
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return "connection failed: " + e.getMessage();
    }
    if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
      return "no answer within the timeout: " + e.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Result failed(String error, long started) {
    return new Result(null, error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error, null,
        millisSince(started));
  }

  private static int millisSince(long started) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public void close() {
    client.close();
  }
}
