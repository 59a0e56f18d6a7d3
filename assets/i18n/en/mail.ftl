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
