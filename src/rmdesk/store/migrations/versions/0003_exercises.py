"""framework exercises and phase control

Revision ID: 0003_exercises
Revises: 0002_targeting
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_exercises'
down_revision = '0002_targeting'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exercise_work',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('exercise_id', sa.String(), nullable=False),
    sa.Column('data_json', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('feedback', sa.String(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exercise_work', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_work_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exercise_work_exercise_id'), ['exercise_id'],
                              unique=False)

    op.create_table('exercise_phase',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('workshop_id', sa.String(), nullable=False),
    sa.Column('exercise_id', sa.String(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('model_revealed', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exercise_phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_phase_workshop_id'), ['workshop_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exercise_phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercise_phase_workshop_id'))
    op.drop_table('exercise_phase')
    with op.batch_alter_table('exercise_work', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercise_work_exercise_id'))
        batch_op.drop_index(batch_op.f('ix_exercise_work_group_id'))
    op.drop_table('exercise_work')
