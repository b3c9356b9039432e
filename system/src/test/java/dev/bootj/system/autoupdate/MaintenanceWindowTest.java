package dev.bootj.system.autoupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {

  // 2026-12-05 is a Saturday.
  private static LocalDateTime at(int day, int hour, int minute) {
    return LocalDateTime.of(2026, 12, day, hour, minute);
  }

  @Test
  void aWeekendMorningSpanHoldsOnlyOnThoseDaysAndHours() {
    MaintenanceWindow window = MaintenanceWindow.parse(List.of("Sat,Sun 02:00-05:00"));
    assertThat(window.contains(at(5, 2, 0))).isTrue();
    assertThat(window.contains(at(5, 4, 59))).isTrue();
    assertThat(window.contains(at(5, 5, 0))).as("the end is excluded").isFalse();
    assertThat(window.contains(at(6, 3, 0))).isTrue();
    assertThat(window.contains(at(4, 3, 0))).as("Friday").isFalse();
    assertThat(window.nextOpening(at(2, 12, 0))).isEqualTo(at(5, 2, 0));
    assertThat(window.nextOpening(at(5, 5, 0))).isEqualTo(at(6, 2, 0));
    assertThat(window.nextOpening(at(6, 6, 0))).as("the next weekend").isEqualTo(at(12, 2, 0));
    assertThat(window.nextOpening(at(5, 3, 0))).as("inside: now").isEqualTo(at(5, 3, 0));
  }

  @Test
  void aSpanPastMidnightBelongsToTheDayItOpens() {
    MaintenanceWindow window = MaintenanceWindow.parse(List.of("Fri 23:00-01:30"));
    assertThat(window.contains(at(4, 23, 30))).as("Friday night").isTrue();
    assertThat(window.contains(at(5, 1, 0))).as("early Saturday, still Friday's span").isTrue();
    assertThat(window.contains(at(5, 1, 30))).isFalse();
    assertThat(window.contains(at(4, 1, 0))).as("early Friday belongs to Thursday's span, which there is not").isFalse();
    assertThat(window.nextOpening(at(5, 2, 0))).isEqualTo(at(11, 23, 0));
  }

  @Test
  void dayRangesWrapAroundTheWeekAndNoDaysMeansEveryDay() {
    MaintenanceWindow weekend = MaintenanceWindow.parse(List.of("Sat-Mon 00:00-24:00"));
    assertThat(weekend.contains(at(7, 12, 0))).as("Monday").isTrue();
    assertThat(weekend.contains(at(8, 12, 0))).as("Tuesday").isFalse();
    assertThat(weekend.contains(at(6, 23, 59))).isTrue();
    MaintenanceWindow nightly = MaintenanceWindow.parse(List.of("22:00-04:00"));
    for (int day = 1; day <= 7; day++) {
      assertThat(nightly.contains(at(day, 3, 0))).isTrue();
      assertThat(nightly.contains(at(day, 12, 0))).isFalse();
    }
  }

  @Test
  void severalSpansGiveTheEarliestOpening() {
    MaintenanceWindow window = MaintenanceWindow.parse(List.of("Sat 02:00-03:00", "wednesday 04:00-05:00"));
    assertThat(window.nextOpening(at(1, 0, 0))).as("Tuesday 1st: Wednesday comes first").isEqualTo(at(2, 4, 0));
    assertThat(window.nextOpening(at(3, 0, 0))).isEqualTo(at(5, 2, 0));
    assertThat(window.spans()).containsExactly("Sat 02:00-03:00", "wednesday 04:00-05:00");
  }

  @Test
  void malformedSpansSayWhatIsWrong() {
    assertThatThrownBy(() -> MaintenanceWindow.parse(List.of("weekends"))).hasMessageContaining("\"weekends\" is not a span");
    assertThatThrownBy(() -> MaintenanceWindow.parse(List.of("Sat 25:00-26:00"))).hasMessageContaining("25:00");
    assertThatThrownBy(() -> MaintenanceWindow.parse(List.of("Sut 02:00-03:00"))).hasMessageContaining("\"Sut\"");
    assertThatThrownBy(() -> MaintenanceWindow.parse(List.of("02:00-02:00"))).hasMessageContaining("00:00-24:00");
    assertThatThrownBy(() -> MaintenanceWindow.parse(List.of())).hasMessageContaining("no span");
  }
}
