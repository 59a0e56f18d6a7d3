### The workshop evaluation form in the participant's portal, in English.
### Message ids are the same in every language folder (a test checks it).

eval-title = Evaluate this workshop
eval-about = { $course }, { $dates }, { $venue }
eval-intro = Your answers help IWSD improve its workshops. Trainers see only a summary of everyone's answers, never your name.
eval-scale = Rate from 1 (very poor) to 5 (excellent).
eval-overall = The workshop overall
eval-trainers = The trainers
eval-venue = The venue
eval-materials = The materials
eval-topics = The topics
eval-topics-hint = You may leave a topic unrated.
eval-topic = Topic: { $topic }
eval-rating-1 = 1, very poor
eval-rating-2 = 2, poor
eval-rating-3 = 3, fair
eval-rating-4 = 4, good
eval-rating-5 = 5, excellent
eval-not-rated = Not rated
eval-most-useful = What was most useful to you?
eval-suggestions = What should IWSD do better?
eval-comment-hint = Optional.
eval-submit = Send my evaluation
eval-errors = Please check the answers marked below.
eval-error-rating = Choose a rating from 1 to 5.
eval-error-comment = This answer is too long or has characters that cannot be kept. Please shorten or retype it.
eval-thanks-title = Thank you
eval-thanks-text = Your evaluation of { $course } has been received.
eval-back = Back to my workshops
eval-closed-title = This workshop cannot be evaluated
eval-already = You have already evaluated this workshop. Each participant evaluates a workshop once.
eval-not-yet = This workshop can be evaluated from its last day, { $date }.
eval-not-attended = Only participants who attended at least one day can evaluate this workshop.
eval-cancelled = This workshop was cancelled, so there is nothing to evaluate.
