# Directory entries are written through ``services.directory_entry_save`` (it keeps the search
# text and the audit log); consultations hold personal data. Neither is in the Django admin.
