### The participant-facing pages (certificate check, portal, error pages), in English.
### Message ids are the same in every language folder (a test checks it).

## Every page

site-name = IWSD Training
site-issuer = Institute of Water and Sanitation Development (IWSD)
site-description = IWSD's training records: check a certificate, see your workshops and certificates.
skip-to-content = Skip to content
language-switch = Language
signed-in-as = Signed in as { $name }
sign-out = Sign out

## Dates: month names written out here (the Fluent crates carry no CLDR date data)

date-long = { $day } { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }
# $start_day is a day number, $end a whole date: "2 – 6 March 2026".
date-span-one-month = { $start_day } – { $end }
date-span = { $start } – { $end }

## Levels of a workshop

level-tot = Training of Trainers — certified to train others
level-cascade = Cascade workshop for council staff and community leaders
level-community = Community workshop

## Facts shown on several pages

field-course = Course
field-level = Level
field-dates = Dates
field-venue = Venue
add-to-linkedin = Add to LinkedIn

## Certificate check (/verify)

verify-title = Certificate check
verify-valid = VALID
verify-revoked = REVOKED
verify-replaced = REPLACED
verify-valid-explainer = This certificate was issued by IWSD and stands.
verify-revoked-explainer = This certificate was withdrawn by IWSD and no longer stands.
verify-revoked-on = Revoked on { $date }
verify-replaced-by = Replaced by certificate { $number }
verify-replaced-explainer = IWSD reissued this certificate to correct it; the new certificate is the one that stands.
verify-see-replacement = Check the certificate that replaced it
verify-reason = Reason:
verify-holder = Holder
verify-number = Certificate number
verify-issued-by = Issued by
verify-issued-on = Issued on
verify-signed-by = Signed by
verify-machine-readable = Machine-readable record (JSON)
verify-unknown-verdict = Not found
verify-unknown-text = No certificate has this verification code. Compare the address with the QR code or the link on the certificate.

## Error pages

error-not-found-title = Not found
error-not-found-text = There is nothing here, or it is not yours to see.
error-forbidden-title = Not yours to see
error-form-expired-title = Please try again
error-form-expired-text = This form could not be accepted (it may have expired). Go back, reload the page and send it again.
error-too-many-title = Too many attempts
error-too-many-text = { $seconds ->
        [one] Please wait { $seconds } second and try again.
       *[other] Please wait { $seconds } seconds and try again.
    }
error-invalid-title = Please check what you entered
error-busy-title = Busy right now
error-server-title = Something went wrong
error-server-text = The server could not finish this. Please try again in a moment.
error-go-home = Back to the start

## The participant's portal (/portal)

portal-title = My workshops and certificates
portal-intro = Enter the email address IWSD has for you. We will email you a link that signs you in — no password needed.
portal-email-label = Email address
portal-send-link = Email me a sign-in link
portal-link-sent-title = Check your email
portal-link-sent-text = If { $email } belongs to a participant, a sign-in link is on its way. It works once, for 30 minutes.
portal-link-invalid-title = This link does not work
portal-link-invalid-text = The link was already used, has expired, or is not a sign-in link.
portal-ask-again = Ask for a new link
portal-my-enrolments = My workshops
portal-no-enrolments = You are not enrolled in any workshop.
portal-status-enrolled = Enrolled
portal-status-completed = Completed
portal-status-waitlisted = Number { $position } on the waitlist
portal-status-waitlisted-unknown = On the waitlist
portal-status-withdrawn = Withdrawn
portal-certificate-earned = Certificate earned.
# $reasons: why not, one sentence per condition below, joined.
portal-no-certificate = No certificate: { $reasons }
portal-unmet-attendance = You attended { $attended } of the { $required } days required.
portal-unmet-no-post-test = No post-test score is recorded.
# $score and $pass_mark are percentages ("48%", 60).
portal-unmet-pass-mark = Your post-test score of { $score } is below the pass mark of { $pass_mark }%.
portal-schedule = Day by day
portal-day = Day { $day }, { $date }: { $topics }
portal-day-practice = Day { $day }, { $date }: practice and review
portal-add-to-calendar = Add to my calendar (.ics)
portal-evaluate = Evaluate this workshop
portal-evaluated = You have evaluated this workshop. Thank you.
portal-my-certificates = My certificates
portal-no-certificates = No certificates yet.
portal-download-pdf = Download PDF
portal-public-check = Public check page
portal-not-a-participant = This account has no participant record, so it has no workshops or certificates of its own.
