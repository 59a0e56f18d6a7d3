### The mail a participant receives along the way, in English.
### Message ids are the same in every language folder (a test checks it).
### $course is "Title (CODE)", $level the workshop's level in words, dates are whole dates.

mail-level-tot = Training of Trainers
mail-level-cascade = cascade
mail-level-community = community

# "Monday 7 December 2026": $date is the date without its weekday.
mail-date = { $weekday ->
        [1] Monday
        [2] Tuesday
        [3] Wednesday
        [4] Thursday
        [5] Friday
        [6] Saturday
       *[7] Sunday
    } { $date }

mail-greeting = Dear { $name },
mail-when = When: { $start } to { $end }
mail-where = Where: { $venue }
mail-day-by-day = Day by day
mail-day = Day { $day }, { $date }: { $topics }
mail-day-practice = Day { $day }, { $date }: practice and review
mail-sign-off = With best wishes,
mail-team = IWSD Training

mail-confirmation-subject = Your place is confirmed: { $course }
mail-confirmation-body = Your place in the { $course } { $level } workshop is confirmed. The dates are in the attached calendar file.
mail-waitlist-subject = You are on the waitlist: { $course }
mail-waitlist-body = The { $course } { $level } workshop is full, so you are on its waitlist at position { $position }. If a place comes free you get it in turn, and we will write to you.
mail-promotion-subject = A place came free for you: { $course }
mail-promotion-body = Good news: a place came free in the { $course } { $level } workshop and it is now yours. The dates are in the attached calendar file.
mail-reminder-subject = Reminder: { $course } starts { $date }
mail-reminder-body = A reminder that the { $course } { $level } workshop starts soon. We look forward to seeing you.
mail-cancellation-subject = Cancelled: { $course } from { $date }
mail-cancellation-body = We are sorry: the { $course } { $level } workshop has been cancelled. Your place lapses; we will let you know of the next workshop.
mail-evaluation-subject = How was { $course }? Please tell us
mail-evaluation-body = Thank you for taking part in the { $course } { $level } workshop. Please rate the workshop, its trainers, venue, materials and each topic — it takes two minutes and helps us improve the training. Fill in the evaluation form at { $url } (or hand a paper form to your trainer).

# The sign-in link: $minutes is how long it works.
mail-sign-in-subject = Your sign-in link for IWSD Training
mail-sign-in-open = Open this link to see your workshops and certificates:
mail-sign-in-once = It works once, for { $minutes } minutes. If you did not ask for it, ignore this email.

# The certificate: $title is the course title, $number the certificate's number, $url its check page.
mail-certificate-subject = Your certificate: { $course }
mail-certificate-body = Congratulations on completing { $title }. Your certificate { $number } is attached.
mail-certificate-check = Anyone can check that it is genuine at { $url }
# A reissued certificate: $old is the old certificate's number, $reason the administrator's words.
mail-reissued-subject = Your corrected certificate: { $course }
mail-reissued-body = Your certificate { $old } for { $title } has been reissued as certificate { $number }, which is attached. The reason: { $reason }
mail-reissued-use-new = Please use the new certificate from now on; the old one now shows as replaced when it is checked. Anyone can check the new one at { $url }
