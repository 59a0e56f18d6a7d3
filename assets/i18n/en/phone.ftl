# The portal's sign-in by phone: a phone form, then a code form.

portal-phone-link = Sign in with your phone number
phone-title = Sign in with your phone number
phone-intro = Enter the mobile number IWSD has for you. We will send you a 6-digit code by SMS.
phone-label = Mobile number
phone-send = Send me a code
phone-invalid = That is not a phone number. Write it as 077 123 4567, or with + and the country code.
phone-email-instead = Sign in with your email address instead
code-title = Enter your code
code-sent = If { $phone } belongs to a participant, a 6-digit code is on its way by SMS. It works for 10 minutes.
code-label = Code from the SMS
code-submit = Sign in
code-wrong = That code is wrong, used or expired. Check the SMS, or ask for a new code.
code-again = Ask for a new code
