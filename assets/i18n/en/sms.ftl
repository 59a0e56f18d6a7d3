# SMS to participants. Each message must fit two SMS segments (306 plain characters) with a
# 60-character name and an 80-character venue: keep them short, and use only the GSM alphabet
# (no curly quotes or dashes) or the limit drops to 134. A "-short" message is sent instead
# when the full one would not fit (it leaves out the venue, or the name).

sms-sign-in-code = Your CSSD sign-in code is { $code }. It expires in { $minutes } minutes. Do not share it with anyone.
sms-enrolment-confirmation = { $name }, your seat at { $course } is confirmed: { $date } from { $time } at { $venue }. IWSD
sms-enrolment-confirmation-short = { $name }, your seat at { $course } is confirmed: { $date } from { $time }. IWSD
sms-waitlist = { $name }, { $course } on { $date } is full. You are number { $position } on the waitlist; we will text you if a seat comes free. IWSD
sms-waitlist-short = { $course } on { $date } is full. You are number { $position } on the waitlist; we will text you if a seat comes free. IWSD
sms-promotion = { $name }, a seat came free: you are now enrolled in { $course }, { $date } from { $time } at { $venue }. IWSD
sms-promotion-short = { $name }, a seat came free: you are now enrolled in { $course }, { $date } from { $time }. IWSD
sms-reminder = { $name }, a reminder: { $course } starts on { $date } at { $time }, { $venue }. IWSD
sms-reminder-short = { $name }, a reminder: { $course } starts on { $date } at { $time }. IWSD
sms-cancellation = { $name }, { $course } on { $date } at { $venue } is cancelled. We are sorry. IWSD
sms-cancellation-short = { $name }, { $course } on { $date } is cancelled. We are sorry. IWSD
sms-evaluation-request = { $name }, thank you for attending { $course }. Please tell us how it went: { $link } IWSD
sms-evaluation-request-short = Thank you for attending { $course }. Please tell us how it went: { $link } IWSD
sms-certificate = { $name }, your { $course } certificate is ready. Check it: { $verify } Download it: { $portal } IWSD
sms-certificate-short = Your { $course } certificate is ready. Check it: { $verify } Download it: { $portal } IWSD
sms-application-accepted = { $name }, your application { $reference } is accepted: you have a seat at { $course }, { $date } from { $time } at { $venue }. IWSD
sms-application-accepted-short = Your application { $reference } is accepted: you have a seat at { $course }, { $date } from { $time }. IWSD
sms-application-waitlisted = { $name }, your application { $reference } is accepted: { $course } on { $date } is full, you are number { $position } on the waitlist. IWSD
sms-application-waitlisted-short = Your application { $reference } is accepted: { $course } on { $date } is full, you are number { $position } on the waitlist. IWSD
sms-application-declined = { $name }, your application { $reference } for { $course } on { $date } was not accepted. The reason: { $reason } IWSD
sms-application-declined-short = Your application { $reference } for { $course } on { $date } was not accepted. The reason: { $reason } IWSD
sms-application-declined-bare = Your application { $reference } for { $course } on { $date } was not accepted. Quote { $reference } to IWSD to hear the reason. IWSD
