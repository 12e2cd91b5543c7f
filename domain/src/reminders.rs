//! Payment reminders: a sender's policy (steps relative to the due date, each on or off,
//! with its words per document language) and the rules of who gets one when. Pure: the
//! data layer turns a step's local date into an instant in the sender's time zone and
//! keeps, per invoice, which steps went out (each at most once, whatever happens).

use crate::Language;
use crate::status::Status;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The default steps, in days from the due date: 3 days before, on it, 7, 14 and 30 after.
pub const DEFAULT_STEPS: [i32; 5] = [-3, 0, 7, 14, 30];

/// A step whose day comes sooner than this after the invoice was sent is passed over: a
/// client does not get a reminder the day after the invoice.
pub const DAYS_AFTER_SENDING: u64 = 3;

/// The default local hour automatic mail goes out at.
pub const DEFAULT_SEND_HOUR: u32 = 9;

/// Subject and body of a reminder in one language. `{number}`, `{amount}` (the balance due),
/// `{due_date}`, `{days}` (before or after the due date) and `{sender}` are filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepText {
    pub subject: String,
    pub body: String,
}

/// A step's own words per language; a language left out speaks the default words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<StepText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<StepText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<StepText>,
}

impl StepTexts {
    pub fn get(&self, language: Language) -> Option<&StepText> {
        match language {
            Language::En => self.en.as_ref(),
            Language::De => self.de.as_ref(),
            Language::Fr => self.fr.as_ref(),
        }
    }

    pub fn set(&mut self, language: Language, text: Option<StepText>) {
        match language {
            Language::En => self.en = text,
            Language::De => self.de = text,
            Language::Fr => self.fr = text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// Days from the due date: -3 is three days before it, 0 the day itself, 7 a week after.
    #[serde(deserialize_with = "crate::whole::int")]
    pub days: i32,
    pub enabled: bool,
    #[serde(default)]
    pub texts: StepTexts,
}

/// What kind of reminder a step (or a reminder sent by hand) is: its default words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Before the due date: a friendly heads-up.
    Upcoming,
    /// On the due date.
    Due,
    /// Overdue.
    Overdue,
    /// The last step: firmer.
    Final,
}

impl Tone {
    /// The i18n key stem of its default words (`reminder-{stem}-subject` / `-body`).
    pub fn key(self) -> &'static str {
        match self {
            Tone::Upcoming => "upcoming",
            Tone::Due => "due",
            Tone::Overdue => "overdue",
            Tone::Final => "final",
        }
    }

    /// A reminder `days` from the due date (the last overdue step of 30 days or more is final).
    pub fn of(days: i32) -> Tone {
        match days {
            ..0 => Tone::Upcoming,
            0 => Tone::Due,
            30.. => Tone::Final,
            _ => Tone::Overdue,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderPolicy {
    /// Off: no automatic reminder for any invoice (sending one by hand still works).
    pub enabled: bool,
    pub steps: Vec<Step>,
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        let steps = DEFAULT_STEPS.iter().map(|&days| Step { days, enabled: true, texts: StepTexts::default() });
        ReminderPolicy { enabled: true, steps: steps.collect() }
    }
}

/// A sender's reminder settings as the API and the page show them: the policy, and the time
/// zone and local hour their automatic mail (reminders, recurring invoices) goes out at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    pub enabled: bool,
    /// IANA time zone, e.g. Europe/Berlin.
    pub time_zone: String,
    /// 0–23, local time.
    #[serde(deserialize_with = "crate::whole::int")]
    pub send_hour: u32,
    pub steps: Vec<Step>,
}

/// The most steps a policy has.
pub const MAX_STEPS: usize = 10;
/// Characters of a reminder's subject and body.
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 4_000;

impl ReminderPolicy {
    /// The policy, or what is wrong with it (steps sorted by day, each day once).
    pub fn checked(mut self) -> Result<ReminderPolicy, crate::Error> {
        if self.steps.len() > MAX_STEPS {
            return Err(crate::Error::invalid("steps", format!("at most {MAX_STEPS} steps")));
        }
        self.steps.sort_by_key(|s| s.days);
        for (i, step) in self.steps.iter().enumerate() {
            if !(-60..=365).contains(&step.days) {
                return Err(crate::Error::invalid(format!("steps[{i}].days"), "days must be -60 to 365"));
            }
            if i > 0 && self.steps[i - 1].days == step.days {
                return Err(crate::Error::invalid(format!("steps[{i}].days"), "each day may have one step"));
            }
            for language in Language::ALL {
                let Some(text) = step.texts.get(language) else { continue };
                let field = |name: &str| format!("steps[{i}].texts.{}.{name}", language.code());
                check_text(&text.subject, MAX_SUBJECT_CHARS, &field("subject"))?;
                check_text(&text.body, MAX_BODY_CHARS, &field("body"))?;
                if text.subject.contains(['\r', '\n']) {
                    return Err(crate::Error::invalid(field("subject"), "a subject is one line"));
                }
            }
        }
        Ok(self)
    }

    /// The steps that go out, by day.
    pub fn enabled_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| self.enabled && s.enabled)
    }

    pub fn step(&self, days: i32) -> Option<&Step> {
        self.steps.iter().find(|s| s.days == days)
    }
}

fn check_text(text: &str, max: usize, field: &str) -> Result<(), crate::Error> {
    if text.trim().is_empty() {
        return Err(crate::Error::invalid(field, "must not be blank (leave the language out for the default words)"));
    }
    if text.chars().count() > max {
        return Err(crate::Error::invalid(field, format!("at most {max} characters")));
    }
    Ok(())
}

/// Whether an invoice in this state gets reminders: sent to the client (sent, viewed,
/// updated, approved), money still owed, the client not waiting for changes, and reminders
/// not turned off for it. Never a draft, paid, cancelled or fully credited invoice.
pub fn is_remindable(status: Status, balance_due_cents: i64, reminders_on: bool) -> bool {
    let sent = matches!(status, Status::Sent | Status::Viewed | Status::Updated | Status::Approved);
    sent && balance_due_cents > 0 && reminders_on
}

/// The day a step falls on.
pub fn step_date(due_date: NaiveDate, days: i32) -> Option<NaiveDate> {
    if days >= 0 {
        due_date.checked_add_days(Days::new(days as u64))
    } else {
        due_date.checked_sub_days(Days::new(days.unsigned_abs().into()))
    }
}

/// The steps still to go out for an invoice due on `due_date`, sent on `sent_on` (local
/// dates), with `done` the steps already sent or passed over: their days and dates, in
/// order. A step sooner than [`DAYS_AFTER_SENDING`] after sending is left out.
pub fn steps_ahead(
    policy: &ReminderPolicy,
    due_date: NaiveDate,
    sent_on: NaiveDate,
    done: &[i32],
) -> Vec<(i32, NaiveDate)> {
    let earliest = sent_on.checked_add_days(Days::new(DAYS_AFTER_SENDING)).unwrap_or(sent_on);
    policy
        .enabled_steps()
        .filter(|s| !done.contains(&s.days))
        .filter_map(|s| Some((s.days, step_date(due_date, s.days)?)))
        .filter(|(_, date)| *date >= earliest)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_default_policy_has_five_steps_around_the_due_date() {
        let p = ReminderPolicy::default();
        let ahead = steps_ahead(&p, d("2027-03-31"), d("2027-03-17"), &[]);
        let dates: Vec<_> = ahead.iter().map(|(days, date)| (*days, date.to_string())).collect();
        assert_eq!(
            dates,
            [
                (-3, "2027-03-28".into()),
                (0, "2027-03-31".into()),
                (7, "2027-04-07".into()),
                (14, "2027-04-14".into()),
                (30, "2027-04-30".into())
            ]
        );
        assert_eq!(steps_ahead(&p, d("2027-03-31"), d("2027-03-17"), &[-3, 0]).len(), 3, "done steps never again");
    }

    #[test]
    fn no_reminder_right_after_sending() {
        let p = ReminderPolicy::default();
        // Due on receipt: the before and due-day steps would come the day it was sent.
        let ahead = steps_ahead(&p, d("2027-03-17"), d("2027-03-17"), &[]);
        assert_eq!(ahead.first().map(|(days, _)| *days), Some(7));
        let off = ReminderPolicy { enabled: false, ..p };
        assert!(steps_ahead(&off, d("2027-03-31"), d("2027-03-01"), &[]).is_empty());
    }

    #[test]
    fn who_gets_reminders() {
        for s in [Status::Sent, Status::Viewed, Status::Updated, Status::Approved] {
            assert!(is_remindable(s, 100, true), "{s:?}");
            assert!(!is_remindable(s, 0, true), "nothing owed: {s:?}");
            assert!(!is_remindable(s, 100, false), "turned off: {s:?}");
        }
        for s in [Status::Draft, Status::Paid, Status::Cancelled, Status::ChangeRequested] {
            assert!(!is_remindable(s, 100, true), "{s:?}");
        }
    }

    #[test]
    fn a_policy_is_checked_and_sorted() {
        let mut p = ReminderPolicy::default();
        p.steps.reverse();
        assert_eq!(p.clone().checked().unwrap().steps[0].days, -3);
        p.steps[1].days = p.steps[0].days;
        assert_eq!(p.checked().unwrap_err().field(), Some("steps[4].days"));
        let mut blank = ReminderPolicy::default();
        blank.steps[2].texts.de = Some(StepText { subject: " ".into(), body: "x".into() });
        assert_eq!(blank.checked().unwrap_err().field(), Some("steps[2].texts.de.subject"));
        assert_eq!(Tone::of(-3), Tone::Upcoming);
        assert_eq!(Tone::of(30), Tone::Final);
    }
}
