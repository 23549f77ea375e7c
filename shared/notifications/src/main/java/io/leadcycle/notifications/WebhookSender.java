package io.leadcycle.notifications;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
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
 * <p>{@link #post} blocks (DNS lookup, then waiting for the answer): call it from a worker thread.
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

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ERROR = 500;

  private final WebClient client;
  private final TargetPolicy policy;
  private final Resolver resolver;
  private final Duration timeout;

  public WebhookSender(Vertx vertx, TargetPolicy policy, Duration timeout, int connections) {
    this(vertx, policy, InetAddress::getAllByName, timeout, connections);
  }

  public WebhookSender(Vertx vertx, TargetPolicy policy, Resolver resolver, Duration timeout, int connections) {
    this.policy = policy;
    this.resolver = resolver;
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

  /** POSTs {@code body} with {@code headers} to {@code url}; never throws for what the receiver or the network does. */
  public Result post(String url, MultiMap headers, Buffer body) {
    long started = System.nanoTime();
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return failed("the URL is not valid", started);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean https = scheme.equals("https");
    if (!https && !(scheme.equals("http") && policy.allowsHttp())) {
      return failed("only https URLs are allowed (got " + (scheme.isEmpty() ? "none" : scheme) + ")", started);
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return failed("the URL has no host", started);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return failed("cannot resolve " + host, started);
    }
    if (addresses == null || addresses.length == 0) {
      return failed("cannot resolve " + host, started);
    }
    // Every address is checked: a name with one public and one private address is refused as a whole.
    for (InetAddress address : addresses) {
      String refusal = policy.refusal(address);
      if (refusal != null) {
        return failed(refusal + "; not connected", started);
      }
    }
    InetAddress target = addresses[0];
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(host)
        .setPort(port)
        .setSsl(https)
        .setURI(path)
        .setFollowRedirects(false);
    try {
      HttpResponse<Void> response = client
          .request(HttpMethod.POST, SocketAddress.inetSocketAddress(port, target.getHostAddress()), options)
          .putHeaders(headers)
          .timeout(timeout.toMillis())
          .followRedirects(false)
          .as(BodyCodec.none())
          .sendBuffer(body)
          .timeout(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
          .await();
      return new Result(response.statusCode(), null, response.getHeader("Retry-After"), millisSince(started));
    } catch (Exception | Error e) {
      return failed(describe(e), started);
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
