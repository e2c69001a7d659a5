"""Remember where a member stands with the profile set-up offered after sign-up.

Existing profiles get "none": their members signed up before the set-up existed and are never
sent to it; only sign-ups from now on start "pending".
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0003_profile_hidden_by_moderation'),
    ]

    operations = [
        migrations.AddField(
            model_name='profile',
            name='onboarding',
            field=models.CharField(choices=[('none', 'Not offered'), ('pending', 'In progress'), ('finished', 'Finished'), ('skipped', 'Skipped')], default='none', max_length=8, verbose_name='profile set-up'),
        ),
        migrations.AddField(
            model_name='profile',
            name='onboarding_step',
            field=models.PositiveSmallIntegerField(default=1),
        ),
    ]
