package dev.bootj.system.autoupdate;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a machine may reboot into a staged update: one or more spans such as {@code "Sat,Sun
 * 02:00-05:00"} or {@code "Mon-Fri 23:00-01:30"}, in the machine's local time. The days name the
 * day a span opens on; a span whose end is not after its start runs past midnight into the next
 * day. Without days a span opens every day; {@code 24:00} as an end means midnight.
 */
public final class MaintenanceWindow {

  private static final Pattern SPAN =
      Pattern.compile("(?:(?<days>[A-Za-z][A-Za-z,\\-]*)\\s+)?(?<start>\\d{1,2}:\\d{2})\\s*-\\s*(?<end>\\d{1,2}:\\d{2})");
  private static final int MINUTES_PER_DAY = 24 * 60;

  /** One span: the days it opens on, and its start and length in minutes. */
  private record Span(Set<DayOfWeek> days, int startMinute, int minutes, String text) {

    boolean opensOn(DayOfWeek day) {
      return days.contains(day);
    }
  }

  private final List<Span> spans;

  private MaintenanceWindow(List<Span> spans) {
    this.spans = List.copyOf(spans);
  }

  /**
   * Parses spans as written in update.toml.
   *
   * @throws IllegalArgumentException with a one-line reason naming the span
   */
  public static MaintenanceWindow parse(List<String> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("names no span; leave it out to allow any time");
    }
    List<Span> spans = new ArrayList<>();
    for (String text : texts) {
      spans.add(span(text.strip()));
    }
    return new MaintenanceWindow(spans);
  }

  private static Span span(String text) {
    Matcher m = SPAN.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a span like \"Sat,Sun 02:00-05:00\" or \"22:00-04:00\"");
    }
    Set<DayOfWeek> days = m.group("days") == null ? EnumSet.allOf(DayOfWeek.class) : days(m.group("days"), text);
    int start = minute(m.group("start"), text, false);
    int end = minute(m.group("end"), text, true);
    if (start == end % MINUTES_PER_DAY && end != MINUTES_PER_DAY) {
      throw new IllegalArgumentException("\"" + text + "\" starts and ends at the same time; write 00:00-24:00 for a whole day");
    }
    int length = end > start ? end - start : end + MINUTES_PER_DAY - start;
    return new Span(days, start, length, text);
  }

  private static Set<DayOfWeek> days(String list, String text) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : list.split(",")) {
      String[] range = part.split("-", -1);
      if (range.length == 1) {
        days.add(day(range[0], text));
      } else if (range.length == 2) {
        DayOfWeek from = day(range[0], text);
        DayOfWeek to = day(range[1], text);
        for (DayOfWeek d = from; ; d = d.plus(1)) {
          days.add(d);
          if (d == to) {
            break;
          }
        }
      } else {
        throw new IllegalArgumentException("\"" + text + "\" has a day range \"" + part + "\" that is not like Mon-Fri");
      }
    }
    return days;
  }

  private static DayOfWeek day(String name, String text) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)
          || d.getDisplayName(TextStyle.FULL, Locale.ENGLISH).equalsIgnoreCase(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" names a day \"" + name + "\"; days are Mon, Tue, Wed, Thu, Fri, Sat, Sun");
  }

  private static int minute(String hhmm, String text, boolean end) {
    String[] parts = hhmm.split(":");
    int hours = Integer.parseInt(parts[0]);
    int minutes = Integer.parseInt(parts[1]);
    boolean midnightEnd = end && hours == 24 && minutes == 0;
    if ((hours > 23 && !midnightEnd) || minutes > 59) {
      throw new IllegalArgumentException("\"" + text + "\" has a time \"" + hhmm + "\" that is not between 00:00 and 23:59");
    }
    return hours * 60 + minutes;
  }

  /** Whether {@code time} is inside one of the spans. */
  public boolean contains(LocalDateTime time) {
    for (Span span : spans) {
      // Opened today, or opened yesterday and still running past midnight.
      for (int daysBack = 0; daysBack <= 1; daysBack++) {
        LocalDateTime opened = time.toLocalDate().minusDays(daysBack).atStartOfDay().plusMinutes(span.startMinute());
        if (span.opensOn(opened.getDayOfWeek()) && !time.isBefore(opened)
            && time.isBefore(opened.plusMinutes(span.minutes()))) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code time} itself when inside the window, else when the window next opens. */
  public LocalDateTime nextOpening(LocalDateTime time) {
    if (contains(time)) {
      return time;
    }
    LocalDateTime best = null;
    for (Span span : spans) {
      for (int daysAhead = 0; daysAhead <= 7; daysAhead++) {
        LocalDateTime opens = time.toLocalDate().plusDays(daysAhead).atStartOfDay().plusMinutes(span.startMinute());
        if (span.opensOn(opens.getDayOfWeek()) && opens.isAfter(time)) {
          if (best == null || opens.isBefore(best)) {
            best = opens;
          }
          break;
        }
      }
    }
    return best;
  }

  /** The spans as written. */
  public List<String> spans() {
    return spans.stream().map(Span::text).toList();
  }

  @Override
  public String toString() {
    return String.join("; ", spans());
  }
}
