package io.leadcycle.aws;

import io.leadcycle.runtime.DeadLetters;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.runtime.JsonLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Parks refused queue messages on the queue's dead-letter queue with an SQS {@code SendMessage}: the
 * original body, the original message attributes that fit, and three attributes of ours saying why
 * ({@value #REASON}), which message it was ({@value #ORIGINAL_MESSAGE_ID}) and where it came from
 * ({@value #SOURCE_QUEUE}, the source queue's ARN). Never throws: a failed send is logged (without the
 * body) and reported as {@code false}, so the caller leaves the message to the redrive policy.
 */
public final class SqsDeadLetters implements DeadLetters {

  public static final String QUEUE_URL_VARIABLE = "DEAD_LETTER_QUEUE_URL";

  public static final String REASON = "leadcycle-refusal-reason";
  public static final String ORIGINAL_MESSAGE_ID = "leadcycle-original-message-id";
  public static final String SOURCE_QUEUE = "leadcycle-source-queue";

  /** The message group of a FIFO dead letter whose original carried none. */
  public static final String DEFAULT_MESSAGE_GROUP = "leadcycle-dead-letters";

  /** SQS accepts at most 10 message attributes per message. */
  static final int MAX_MESSAGE_ATTRIBUTES = 10;
  static final int MAX_REASON_LENGTH = 1000;

  private final LazySqsClient client;
  private final String deadLetterQueueUrl;
  private final boolean fifo;

  public SqsDeadLetters(SqsClient client, String deadLetterQueueUrl) {
    this(LazySqsClient.of(client), deadLetterQueueUrl);
  }

  private SqsDeadLetters(LazySqsClient client, String deadLetterQueueUrl) {
    this.client = client;
    this.deadLetterQueueUrl = Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl").trim();
    this.fifo = this.deadLetterQueueUrl.endsWith(".fifo");
  }

  @Override
  public void prime() {
    client.get();
  }

  /**
   * {@link DeadLetters#NONE} without {@code DEAD_LETTER_QUEUE_URL}; otherwise an SQS sender whose
   * client (region, credentials and endpoint from the Lambda environment, as the SDK finds them) is
   * built on the first refused message, so a function that never refuses one pays nothing for it.
   */
  public static DeadLetters fromEnvironment(Map<String, String> env) {
    String url = env.get(QUEUE_URL_VARIABLE);
    if (url == null || url.isBlank()) {
      return DeadLetters.NONE;
    }
    return new SqsDeadLetters(LazySqsClient.fromEnvironment(), url);
  }

  @Override
  public boolean park(SQSMessage message, String reason) {
    String messageId = message == null ? null : message.getMessageId();
    String source = message == null ? null : message.getEventSourceArn();
    try {
      client.get().sendMessage(request(message, reason));
      return true;
    } catch (RuntimeException e) {
      // Never the body (nor the reason, which may quote it): only which message it was.
      JsonLog.error(null, "could not park refused message " + messageId + " from " + source
          + " on the dead-letter queue " + deadLetterQueueUrl, e);
      return false;
    }
  }

  SendMessageRequest request(SQSMessage message, String reason) {
    Objects.requireNonNull(message, "message");
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    putString(attributes, REASON, reason == null || reason.isBlank() ? "unspecified" : sanitize(reason));
    putString(attributes, ORIGINAL_MESSAGE_ID, message.getMessageId());
    putString(attributes, SOURCE_QUEUE, message.getEventSourceArn());
    if (message.getMessageAttributes() != null) {
      // Sorted so that which originals are dropped, when ours do not leave room for all, is stable.
      for (Map.Entry<String, MessageAttribute> original : new TreeMap<>(message.getMessageAttributes()).entrySet()) {
        if (attributes.size() >= MAX_MESSAGE_ATTRIBUTES) {
          break;
        }
        if (!attributes.containsKey(original.getKey())) {
          MessageAttributeValue copy = copyable(original.getValue());
          if (copy != null) {
            attributes.put(original.getKey(), copy);
          }
        }
      }
    }

    SendMessageRequest.Builder request = SendMessageRequest.builder()
        .queueUrl(deadLetterQueueUrl)
        .messageBody(message.getBody())
        .messageAttributes(attributes);
    if (fifo) {
      Map<String, String> system = message.getAttributes();
      String group = system == null ? null : system.get("MessageGroupId");
      String id = message.getMessageId();
      request.messageGroupId(group == null || group.isEmpty() ? DEFAULT_MESSAGE_GROUP : group)
          .messageDeduplicationId(id == null || id.isEmpty() ? UUID.randomUUID().toString() : id);
    }
    return request.build();
  }

  /**
   * The attribute as SQS takes it back: String and Number (with or without a custom type suffix) as
   * text, Binary as bytes. The list types SQS reserves and never delivers, and empty values, are left
   * out.
   */
  private static MessageAttributeValue copyable(MessageAttribute original) {
    if (original == null || original.getDataType() == null) {
      return null;
    }
    String type = original.getDataType();
    if (type.startsWith("Binary")) {
      if (original.getBinaryValue() == null || !original.getBinaryValue().hasRemaining()) {
        return null;
      }
      return MessageAttributeValue.builder()
          .dataType(type)
          .binaryValue(SdkBytes.fromByteBuffer(original.getBinaryValue().asReadOnlyBuffer()))
          .build();
    }
    if ((type.startsWith("String") || type.startsWith("Number"))
        && original.getStringValue() != null && !original.getStringValue().isEmpty()) {
      return MessageAttributeValue.builder().dataType(type).stringValue(original.getStringValue()).build();
    }
    return null;
  }

  private static void putString(Map<String, MessageAttributeValue> attributes, String name, String value) {
    if (value != null && !value.isEmpty()) {
      attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
    }
  }

  /**
   * At most {@value #MAX_REASON_LENGTH} characters (not splitting a surrogate pair), with the
   * characters SQS refuses in attribute values (control characters other than tab and line breaks,
   * lone surrogates, U+FFFE/U+FFFF) replaced, so that an odd reason cannot make the send fail.
   */
  static String sanitize(String reason) {
    String text = reason;
    if (text.length() > MAX_REASON_LENGTH) {
      int end = MAX_REASON_LENGTH;
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      text = text.substring(0, end);
    }
    StringBuilder clean = new StringBuilder(text.length());
    text.codePoints().forEach(c -> clean.appendCodePoint(allowed(c) ? c : '\uFFFD'));
    return clean.toString();
  }

  private static boolean allowed(int c) {
    return c == 0x9 || c == 0xA || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  @Override
  public String toString() {
    return "SqsDeadLetters[" + deadLetterQueueUrl + "]";
  }
}
